import { createHash } from 'node:crypto';
import type { MessageState, StatusEvent } from '../messages/message-state-machine';

/** One `message.status` event as the outbox stores it and the dispatcher receives it. */
export interface WebhookOutboxEvent {
  readonly eventId: string;
  readonly type: string;
  readonly accountId: string;
  readonly occurredAt: Date;
  readonly data: Record<string, unknown>;
}

/**
 * The `message.status` event of one applied event, or null when neither the status nor its
 * reason or code changed (a real receipt replacing the synthetic timeout keeps the status).
 * The id is derived from the message and the event's idempotency key, so the same change always
 * has the same id; `sequence` counts the message's status changes (1 = accepted), which lets a
 * receiver put events of one message in order.
 */
export function statusChangeEvent(
  before: MessageState | null,
  after: MessageState,
  event: StatusEvent,
): WebhookOutboxEvent | null {
  if (
    before !== null &&
    before.status === after.status &&
    before.sendFailureCode === after.sendFailureCode &&
    before.processFailedReason === after.processFailedReason
  ) {
    return null;
  }
  const eventId = `msgst_${createHash('sha256')
    .update(`${after.messageId}\n${event.key}`)
    .digest('base64url')
    .slice(0, 32)}`;
  const sequence = after.sendLog.filter((entry) => entry.result === 'APPLIED').length;
  return {
    eventId,
    type: 'message.status',
    accountId: after.accountId,
    occurredAt: event.occurredAt,
    data: {
      message_id: after.messageId,
      status: after.status.toLowerCase(),
      previous_status: before ? before.status.toLowerCase() : null,
      sequence,
      process_failed_reason: after.processFailedReason?.toLowerCase() ?? null,
      send_failure_code: after.sendFailureCode,
      reason_detail: after.reasonDetail,
      recipient: after.recipient,
      template_id: after.templateId,
      labels: after.labels,
      channel: after.channel,
      operator: after.operator,
      request_time: after.requestTime.toISOString(),
      channel_send_time: after.channelSendTime?.toISOString() ?? null,
      receipt_time: after.receiptTime?.toISOString() ?? null,
      occurred_at: event.occurredAt.toISOString(),
    },
  };
}
