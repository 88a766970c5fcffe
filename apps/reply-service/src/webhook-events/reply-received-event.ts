import { createHash } from 'node:crypto';
import type { WebhookOutboxEvent } from '@sms/platform-outbox';
import type { StoredReply } from '../replies/replies.repository';

export const REPLY_RECEIVED = 'reply.received';

/**
 * The `reply.received` event of a reply that has an account, or null (no account: only operators
 * see it, no customer is told). A reply stored while status-tracker was away (PENDING) gets its
 * event when it is attributed. The id is derived from the reply id, so a retry or a re-attribution
 * race never makes a second event. `data` is the gateway's Reply resource (GET /v1/replies).
 */
export function replyReceivedEvent(reply: StoredReply): WebhookOutboxEvent | null {
  if (!reply.accountId || reply.attribution === 'PENDING') return null;
  return {
    eventId: `reply_${createHash('sha256').update(reply.replyId).digest('base64url').slice(0, 32)}`,
    type: REPLY_RECEIVED,
    accountId: reply.accountId,
    occurredAt: reply.receivedAt,
    data: {
      replyId: reply.replyId,
      phone: reply.phone,
      content: reply.content,
      receivedAt: reply.receivedAt.toISOString(),
      operator: reply.operator || null,
      channel: reply.channel || null,
      accountId: reply.accountId,
      messageId: reply.messageId || null,
      templateId: reply.templateId || null,
      labels: [...reply.labels],
      smsUser: reply.smsUser || null,
      attribution: reply.attribution.toLowerCase(),
      keywordAction: reply.keywordAction.toLowerCase(),
    },
  };
}
