import type { MessageRow } from './message-record';

// The hourly statistics rollup (table message_stats_hourly): what a batch changes in it, and
// which GetMessageStats filters it can answer. See docs/delivery-statistics-rollup.md.

const HOUR_MS = 3_600_000;

/** One rollup row's change: the group's key and what to add to its counters (may be negative). */
export interface StatsDelta {
  readonly accountId: string;
  readonly hour: Date;
  readonly status: number;
  /** 0 = no reason (the rollup's key holds no NULL). */
  readonly processFailedReason: number;
  /** 0 = no code. */
  readonly sendFailureCode: number;
  readonly templateType: number;
  readonly smsUser: string;
  readonly messages: number;
  readonly entries: number;
}

type GroupKey = Omit<StatsDelta, 'messages' | 'entries'>;

function groupOf(row: MessageRow): GroupKey {
  return {
    accountId: row.account_id,
    hour: new Date(Math.floor(row.request_time.getTime() / HOUR_MS) * HOUR_MS),
    status: row.status,
    processFailedReason: row.process_failed_reason ?? 0,
    sendFailureCode: row.send_failure_code ?? 0,
    templateType: row.template_type,
    smsUser: row.sms_user,
  };
}

/**
 * One total order of rollup keys (JavaScript's, not the database collation's): every batch
 * upserts in it, so two batches sharing rollup rows lock them in the same order (no deadlock).
 */
function compareKeys(a: GroupKey, b: GroupKey): number {
  return (
    (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0) ||
    a.hour.getTime() - b.hour.getTime() ||
    a.status - b.status ||
    a.processFailedReason - b.processFailedReason ||
    a.sendFailureCode - b.sendFailureCode ||
    a.templateType - b.templateType ||
    (a.smsUser < b.smsUser ? -1 : a.smsUser > b.smsUser ? 1 : 0)
  );
}

/**
 * The net rollup change of a batch: −1 (and −entries) on the group of every message's row as it
 * was loaded, +1 on the group of the row as it is written. However many transitions a message
 * went through inside the batch, only its first and last state count; groups whose changes
 * cancel out are left out. Sorted by key (see compareKeys).
 */
export function statsDeltas(
  before: ReadonlyMap<string, MessageRow>,
  after: readonly MessageRow[],
): StatsDelta[] {
  const deltas = new Map<string, { key: GroupKey; messages: number; entries: number }>();
  const add = (row: MessageRow, sign: 1 | -1) => {
    const key = groupOf(row);
    // NUL-separated: PostgreSQL text never holds NUL, so the key is unambiguous.
    const id = `${key.accountId}\0${key.hour.getTime()}\0${key.status}\0${key.processFailedReason}\0${key.sendFailureCode}\0${key.templateType}\0${key.smsUser}`;
    const slot = deltas.get(id) ?? { key, messages: 0, entries: 0 };
    slot.messages += sign;
    slot.entries += sign * row.entries;
    deltas.set(id, slot);
  };
  for (const row of after) {
    const old = before.get(row.message_id);
    if (old) add(old, -1);
    add(row, 1);
  }
  return [...deltas.values()]
    .filter((slot) => slot.messages !== 0 || slot.entries !== 0)
    .map((slot) => ({ ...slot.key, messages: slot.messages, entries: slot.entries }))
    .sort(compareKeys);
}

/** The filters the rollup has as dimensions; any other filter needs the message rows. */
export function rollupCanServe(filter: {
  readonly phone?: string;
  readonly templateId?: string;
  readonly label?: string;
}): boolean {
  return !filter.phone && !filter.templateId && !filter.label;
}
