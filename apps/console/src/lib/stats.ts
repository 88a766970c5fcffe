// Sums of the stats buckets the pages show: totals per status, failures by code and by reason,
// delivery and failure rates (failed / requested, so the figures add up).
/** The part of a stats bucket (GET /v1/stats/messages) summed here. */
export interface StatsBucketCounts {
  messages: number;
  entries: number;
  statuses: Record<string, number>;
  processFailedReasons: Record<string, number>;
  sendFailureCodes: Record<string, number>;
}

export interface StatsTotals {
  total: number;
  entries: number;
  byStatus: Record<string, number>;
  byProcessFailedReason: Record<string, number>;
  bySendFailedCode: Record<string, number>;
  delivered: number;
  failed: number;
  inProgress: number;
  deliveryRate: number | null;
  failureRate: number | null;
}

function add(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [key, value] of Object.entries(from ?? {})) into[key] = (into[key] ?? 0) + value;
}

export function sumBuckets(buckets: readonly StatsBucketCounts[]): StatsTotals {
  const byStatus: Record<string, number> = {};
  const byProcessFailedReason: Record<string, number> = {};
  const bySendFailedCode: Record<string, number> = {};
  let total = 0;
  let entries = 0;
  for (const bucket of buckets) {
    total += bucket.messages;
    entries += bucket.entries;
    add(byStatus, bucket.statuses);
    add(byProcessFailedReason, bucket.processFailedReasons);
    add(bySendFailedCode, bucket.sendFailureCodes);
  }
  const delivered = byStatus['delivered'] ?? 0;
  const failed = (byStatus['send_failed'] ?? 0) + (byStatus['process_failed'] ?? 0);
  return {
    total,
    entries,
    byStatus,
    byProcessFailedReason,
    bySendFailedCode,
    delivered,
    failed,
    inProgress: total - delivered - failed,
    deliveryRate: total === 0 ? null : delivered / total,
    failureRate: total === 0 ? null : failed / total,
  };
}
