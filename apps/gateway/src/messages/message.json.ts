import type { statusV1 } from '@sms/contracts';
import { messageReason } from '@sms/domain-catalogue';
import { z } from 'zod';
import { ENUM_PREFIX, enumWord } from '../transport/enum-words';
import { isoOrNull, textOrNull } from '../transport/json-values';
import { PROCESS_FAILED_REASON_WORDS, SEND_FAILURE_REASON_WORDS } from './message-reason';
import { MESSAGE_STATUS_WORDS, TEMPLATE_TYPE_WORDS } from './messages.query';

const isoTime = () => z.string().meta({ format: 'date-time' });

const EVENT_KIND_WORDS = [
  'accepted',
  'process_failed',
  'submitted',
  'delivered',
  'send_failed',
  'receipt_timeout',
] as const;
const EVENT_RESULT_WORDS = ['applied', 'duplicate', 'parked', 'ignored', 'rejected'] as const;

export const sendLogEntryJson = z
  .object({
    occurredAt: isoTime().nullable(),
    recordedAt: isoTime().nullable(),
    kind: z.enum(EVENT_KIND_WORDS).nullable(),
    result: z.enum(EVENT_RESULT_WORDS).nullable(),
    detail: z.string(),
    statusAfter: z.enum(MESSAGE_STATUS_WORDS).nullable(),
  })
  .meta({ id: 'SendLogEntry', description: 'One event of a message, as applied or ignored.' });

const REASON_WORDS = [...new Set([...PROCESS_FAILED_REASON_WORDS, ...SEND_FAILURE_REASON_WORDS])];

export const messageJson = z
  .object({
    messageId: z.string(),
    accountId: z.string(),
    smsUser: z.string().nullable(),
    recipient: z.string().meta({ description: 'E.164' }),
    entries: z.number().int().min(0).meta({ description: 'Billed segments.' }),
    templateId: z.string().nullable(),
    templateType: z.enum(TEMPLATE_TYPE_WORDS).nullable(),
    labels: z.array(z.string()),
    channel: z.string().nullable(),
    operator: z.string().nullable(),
    status: z.enum(MESSAGE_STATUS_WORDS).nullable(),
    reasonCode: z
      .enum(REASON_WORDS as [string, ...string[]])
      .nullable()
      .meta({
        description:
          'Why the message failed, as a stable word: the process-failed reason or the send-failure reason; null otherwise.',
      }),
    reasonText: z.string().nullable().meta({
      description: 'The reason in words (for people; may change); null without a reason.',
    }),
    sendFailureCode: z.number().int().min(500).max(590).nullable().meta({
      description: 'Send-failure code (500..590) when status is send_failed; null otherwise.',
    }),
    reasonDetail: z.string().nullable().meta({
      description: "The detail recorded with the failure (e.g. the channel's receipt text).",
    }),
    requestTime: isoTime().nullable(),
    channelSendTime: isoTime().nullable(),
    receiptTime: isoTime().nullable(),
    updateTime: isoTime().nullable(),
  })
  .meta({ id: 'Message', description: 'A message and its delivery status.' });

export const messageWithLogJson = messageJson
  .extend({
    sendLog: z
      .array(sendLogEntryJson)
      .meta({ description: 'Every event applied or ignored, oldest first.' }),
  })
  .meta({ id: 'MessageWithLog', description: 'A message with its send log.' });

export type MessageJson = z.infer<typeof messageJson>;
export type MessageWithLogJson = z.infer<typeof messageWithLogJson>;

type Word<T extends readonly string[]> = T[number];

export function toMessageJson(message: statusV1.Message): MessageJson {
  const processFailed = enumWord(message.processFailedReason, ENUM_PREFIX.processFailedReason);
  const sendFailed = enumWord(message.sendFailureCode, ENUM_PREFIX.sendFailureCode);
  return {
    messageId: message.messageId,
    accountId: message.accountId,
    smsUser: textOrNull(message.smsUser),
    recipient: message.recipient,
    entries: message.entries,
    templateId: textOrNull(message.templateId),
    templateType: enumWord(message.templateType, ENUM_PREFIX.templateType) as Word<
      typeof TEMPLATE_TYPE_WORDS
    > | null,
    labels: message.labels ?? [],
    channel: textOrNull(message.channel),
    operator: textOrNull(message.operator),
    status: enumWord(message.status, ENUM_PREFIX.messageStatus) as Word<
      typeof MESSAGE_STATUS_WORDS
    > | null,
    ...messageReason(processFailed, sendFailed),
    reasonDetail: textOrNull(message.reasonDetail),
    requestTime: isoOrNull(message.requestTime),
    channelSendTime: isoOrNull(message.channelSendTime),
    receiptTime: isoOrNull(message.receiptTime),
    updateTime: isoOrNull(message.updateTime),
  };
}

export function toMessageWithLogJson(message: statusV1.Message): MessageWithLogJson {
  return {
    ...toMessageJson(message),
    sendLog: (message.sendLog ?? []).map((entry) => ({
      occurredAt: isoOrNull(entry.occurredAt),
      recordedAt: isoOrNull(entry.recordedAt),
      kind: enumWord(entry.kind, ENUM_PREFIX.eventKind) as Word<typeof EVENT_KIND_WORDS> | null,
      result: enumWord(entry.result, ENUM_PREFIX.eventResult) as Word<
        typeof EVENT_RESULT_WORDS
      > | null,
      detail: entry.detail,
      statusAfter: enumWord(entry.statusAfter, ENUM_PREFIX.messageStatus) as Word<
        typeof MESSAGE_STATUS_WORDS
      > | null,
    })),
  };
}
