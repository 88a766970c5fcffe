import { fromTimestamp, type replyV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';

export const MAX_REPLIES_PER_BATCH = 1000;
const MAX_ID_LENGTH = 128;
const MAX_CONTENT_LENGTH = 4096;
const MAX_LABEL_LENGTH = 128;

/** A reply that passed validation: trimmed ids, E.164 phone, millisecond receive time. */
export interface ValidReply {
  readonly index: number;
  readonly replyId: string;
  readonly phone: string;
  readonly content: string;
  readonly receivedAt: Date;
  readonly operator: string;
  readonly channel: string;
  /** What the channel knew; undefined when it did not say. */
  readonly channelAccountId: string | undefined;
  readonly channelMessageId: string | undefined;
}

export type ReplyValidation =
  | { readonly ok: true; readonly reply: ValidReply }
  | { readonly ok: false; readonly reason: string };

export interface ReplyValidationLimits {
  readonly now: Date;
  /** received_at older than this is outside the retention window. */
  readonly oldestReceivedAt: Date;
  /** received_at later than this is a broken clock, not a reply. */
  readonly latestReceivedAt: Date;
}

/** Checks one inbound reply; the reason names the field and the problem. */
export function validateInboundReply(
  input: replyV1.InboundReply,
  index: number,
  limits: ReplyValidationLimits,
): ReplyValidation {
  const replyId = (input.replyId ?? '').trim();
  if (!replyId) return { ok: false, reason: 'reply_id is required' };
  if (replyId.length > MAX_ID_LENGTH) {
    return { ok: false, reason: `reply_id is longer than ${MAX_ID_LENGTH} characters` };
  }
  const phone = tryNormalizePhone(input.phone ?? '');
  if (!phone.ok) return { ok: false, reason: `phone "${input.phone ?? ''}" ${phone.problem}` };
  const content = input.content ?? '';
  if (!content.trim()) return { ok: false, reason: 'content is empty' };
  if (content.length > MAX_CONTENT_LENGTH) {
    return { ok: false, reason: `content is longer than ${MAX_CONTENT_LENGTH} characters` };
  }
  const receivedAt = fromTimestamp(input.receivedAt);
  if (!receivedAt || Number.isNaN(receivedAt.getTime())) {
    return { ok: false, reason: 'received_at is required' };
  }
  if (receivedAt > limits.latestReceivedAt) {
    return {
      ok: false,
      reason: `received_at ${receivedAt.toISOString()} is in the future (now is ${limits.now.toISOString()})`,
    };
  }
  if (receivedAt < limits.oldestReceivedAt) {
    return {
      ok: false,
      reason: `received_at ${receivedAt.toISOString()} is older than the retention window (${limits.oldestReceivedAt.toISOString()})`,
    };
  }
  const accountId = (input.accountId ?? '').trim();
  const messageId = (input.messageId ?? '').trim();
  for (const [field, value] of [
    ['account_id', accountId],
    ['message_id', messageId],
    ['operator', input.operator ?? ''],
    ['channel', input.channel ?? ''],
  ] as const) {
    if (value.length > MAX_LABEL_LENGTH) {
      return { ok: false, reason: `${field} is longer than ${MAX_LABEL_LENGTH} characters` };
    }
  }
  return {
    ok: true,
    reply: {
      index,
      replyId,
      phone: phone.e164,
      content,
      receivedAt,
      operator: (input.operator ?? '').trim(),
      channel: (input.channel ?? '').trim(),
      channelAccountId: accountId || undefined,
      channelMessageId: messageId || undefined,
    },
  };
}
