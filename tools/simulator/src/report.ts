// The human-readable account of a run: what was sent, what the system must now show, and the
// curl commands to look at it through the gateway.
import type { SimulationSummary } from './simulation';

function table(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort();
  return keys.length === 0
    ? '-'
    : keys.map((key) => `${key.toLowerCase()} ${counts[key]}`).join(', ');
}

/**
 * Why messages are still open after a correct run: the scenario plays channels that never
 * report back on purpose, so "sending" and "wait_result" are expected, not stuck.
 */
export function leftoverLines(messagesByStatus: Record<string, number>): string[] {
  const sending = messagesByStatus['SENDING'] ?? 0;
  const waiting = messagesByStatus['WAIT_RESULT'] ?? 0;
  if (sending === 0 && waiting === 0) return [];
  const lines = ['  still open (on purpose, not stuck):'];
  if (sending > 0) {
    lines.push(
      `    ${sending} sending: accepted, then deliberately never handed to a channel (the scenario plays a sender that stops there); they stay sending`,
    );
  }
  if (waiting > 0) {
    lines.push(
      `    ${waiting} wait_result: handed to a channel that deliberately never sends a receipt; status-tracker turns them into send_failed 590 "no delivery receipt" once WAIT_RESULT_TIMEOUT_HOURS (default 72 h) have passed since their send time`,
    );
  }
  return lines;
}

export function formatReport(summary: SimulationSummary): string {
  const { counts } = summary;
  const account = summary.accounts[0];
  const blockedSample = summary.expectedEntries.find((entry) => entry.state === 'ACTIVE');
  const unsubscribed = summary.unsubscribes[0];
  const lines = [
    `Simulated run ${summary.runId} (seed ${summary.seed}) in ${(summary.durationMs / 1000).toFixed(1)} s:`,
    `  accounts:        ${summary.accounts.map((a) => `${a.name} ${a.accountId}`).join(', ')}`,
    `  messages:        ${counts.messages} in ${summary.rounds} rounds; refused at admission: ${table(counts.processFailedByReason)}`,
    `  final statuses:  ${table(counts.messagesByStatus)}`,
    ...leftoverLines(counts.messagesByStatus),
    `  send failures:   ${table(counts.sendFailedByCode)}`,
    `  receipts:        ${counts.outOfOrderReceipts} before SUBMITTED, ${counts.duplicateReceipts} duplicated, ${counts.conflictingReceipts} conflicting late`,
    `  events sent:     ${counts.eventsSent} (${table(counts.eventResults)})`,
    ...(counts.grpcRetries > 0
      ? [`  gRPC retries:    ${counts.grpcRetries} (calls sent again after UNAVAILABLE)`]
      : []),
    `  replies sent:    ${counts.repliesSent} (${table(counts.replyResults)}); unsubscribe replies ${counts.unsubscribeReplies}, unsubscribed pairs ${summary.unsubscribes.length}`,
    `  block list:      ${counts.activeEntries} active + ${counts.expiredEntries} expired entries expected; by code: ${table(counts.entriesByCode)}`,
    `  settled rounds:  ${summary.settled.map((s) => (s ? 'yes' : 'NO')).join(' ')}`,
    ...(summary.webhooks
      ? [
          `  webhooks:        ${summary.webhooks.distinctEvents} message.status events at ${summary.webhooks.endpoints} endpoint(s) (${table(summary.webhooks.byStatus)}); ${summary.webhooks.redeliveries} re-deliveries, ${summary.webhooks.badSignatures} bad signatures`,
        ]
      : []),
  ];
  if (summary.problems.length > 0) {
    lines.push(
      `  PROBLEMS (${summary.problems.length}):`,
      ...summary.problems.map((p) => `    - ${p}`),
    );
  } else {
    lines.push('  every answer was what the spec implies');
  }
  if (account) {
    lines.push(
      '',
      `Web console: ${summary.gatewayUrl}/console/ — sign in as`,
      ...[...summary.accounts, summary.operator].map(
        (a) => `  ${a.consoleUser.email}  password ${a.consoleUser.password}  (${a.name})`,
      ),
    );
  }
  if (account) {
    const auth = `-H 'Authorization: ${account.authorization}'`;
    const base = summary.gatewayUrl;
    lines.push(
      '',
      `Where to look (gateway ${base}, key of ${account.name}):`,
      `  curl -s ${auth} '${base}/v1/messages?status=send_failed&pageSize=10'`,
      `  curl -s ${auth} '${base}/v1/messages/${summary.messages.find((m) => m.accountId === account.accountId)?.messageId ?? 'MESSAGE_ID'}'`,
      `  curl -s ${auth} '${base}/v1/block-list?state=active'`,
      `  curl -s ${auth} '${base}/v1/unsubscribes'`,
      `  curl -s ${auth} '${base}/v1/replies'`,
    );
    if (blockedSample) {
      lines.push(
        `  curl -s ${auth} '${base}/v1/block-list/check?phone=${encodeURIComponent(blockedSample.phone)}'`,
      );
    }
    if (unsubscribed) {
      const owner = summary.accounts.find((a) => a.accountId === unsubscribed.accountId);
      if (owner) {
        lines.push(
          `  curl -s -H 'Authorization: ${owner.authorization}' '${base}/v1/block-list/check?phone=${encodeURIComponent(unsubscribed.phone)}'`,
        );
      }
    }
    lines.push(
      `  operator: curl -s -H 'Authorization: ${summary.operator.authorization}' '${base}/v1/admin/block-list?pageSize=10'`,
    );
  }
  return lines.join('\n');
}
