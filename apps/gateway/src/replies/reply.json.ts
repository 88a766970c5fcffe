import type { replyV1 } from '@sms/contracts';
import { z } from 'zod';
import { ENUM_PREFIX, enumWord } from '../transport/enum-words';
import { isoOrNull, textOrNull } from '../transport/json-values';

const ATTRIBUTION_WORDS = [
  'message_id',
  'account_latest',
  'latest_message',
  'unattributed',
] as const;
const KEYWORD_ACTION_WORDS = ['none', 'unsubscribe', 'resubscribe'] as const;

export const replyJson = z
  .object({
    replyId: z.string(),
    phone: z.string().meta({ description: 'Who replied, E.164.' }),
    content: z.string(),
    receivedAt: z.string().meta({ format: 'date-time' }).nullable(),
    operator: z.string().nullable(),
    channel: z.string().nullable(),
    accountId: z.string().nullable(),
    messageId: z.string().nullable().meta({ description: 'The message the reply answers.' }),
    templateId: z.string().nullable(),
    labels: z.array(z.string()),
    smsUser: z.string().nullable(),
    attribution: z.enum(ATTRIBUTION_WORDS).nullable(),
    keywordAction: z.enum(KEYWORD_ACTION_WORDS).nullable(),
  })
  .meta({ id: 'Reply', description: 'A reply (mobile-originated message).' });
export type ReplyJson = z.infer<typeof replyJson>;

export function toReplyJson(reply: replyV1.Reply): ReplyJson {
  return {
    replyId: reply.replyId,
    phone: reply.phone,
    content: reply.content,
    receivedAt: isoOrNull(reply.receivedAt),
    operator: textOrNull(reply.operator),
    channel: textOrNull(reply.channel),
    accountId: textOrNull(reply.accountId),
    messageId: textOrNull(reply.messageId),
    templateId: textOrNull(reply.templateId),
    labels: reply.labels ?? [],
    smsUser: textOrNull(reply.smsUser),
    attribution: enumWord(reply.attribution, ENUM_PREFIX.attribution) as ReplyJson['attribution'],
    keywordAction: enumWord(
      reply.keywordAction,
      ENUM_PREFIX.keywordAction,
    ) as ReplyJson['keywordAction'],
  };
}
