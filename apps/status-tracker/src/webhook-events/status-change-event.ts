import { hash } from 'node:crypto';
import { messageReason } from '@sms/domain-catalogue';
import type { WebhookOutboxEvent } from '@sms/platform-outbox';
import type { MessageState, StatusEvent } from '../messages/message-state-machine';

/**
 * The `message.status` event of one applied event, or null when neither the status nor its
 * reason or code changed (a real receipt replacing the synthetic timeout keeps the status).
 * The id is derived from the message and the event's idempotency key, so the same change always
 * has the same id. `data` is the gateway's `Message` resource (GET /v1/messages/{id}, same field
 * names and words; the gateway builds its reason fields with the same `messageReason`) plus
 * `previousStatus`, `sequence` (the message's status changes, 1 = accepted, which lets a receiver
 * put events of one message in order) and `occurredAt`.
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
  // One-shot hash: no Hash object per event on the ingest path.
  const eventId = `msgst_${hash('sha256', `${after.messageId}\n${event.key}`, 'base64url').slice(0, 32)}`;
  const sequence = after.sendLog.filter((entry) => entry.result === 'APPLIED').length;
  return {
    eventId,
    type: 'message.status',
    accountId: after.accountId,
    occurredAt: event.occurredAt,
    data: {
      messageId: after.messageId,
      accountId: after.accountId,
      smsUser: after.smsUser || null,
      recipient: after.recipient,
      entries: after.entries,
      templateId: after.templateId || null,
      templateType: after.templateType.toLowerCase(),
      labels: after.labels,
      channel: after.channel || null,
      operator: after.operator || null,
      status: after.status.toLowerCase(),
      ...messageReason(after.processFailedReason, after.sendFailureCode),
      reasonDetail: after.reasonDetail || null,
      requestTime: after.requestTime.toISOString(),
      channelSendTime: after.channelSendTime?.toISOString() ?? null,
      receiptTime: after.receiptTime?.toISOString() ?? null,
      updateTime: after.updateTime.toISOString(),
      previousStatus: before ? before.status.toLowerCase() : null,
      sequence,
      occurredAt: event.occurredAt.toISOString(),
    },
  };
}
