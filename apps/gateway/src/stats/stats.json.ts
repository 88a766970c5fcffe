import type { statusV1 } from '@sms/contracts';
import { CodeCatalogue, PROCESS_FAILED_REASONS_BY_PRECEDENCE } from '@sms/domain-catalogue';
import { z } from 'zod';
import { MESSAGE_STATUS_WORDS } from '../messages/messages.query';
import { ENUM_PREFIX, enumWord } from '../transport/enum-words';
import { isoOrNull } from '../transport/json-values';

const REASON_WORDS = PROCESS_FAILED_REASONS_BY_PRECEDENCE.map((name) => name.toLowerCase());
const CODES = new CodeCatalogue().all().map((rule) => rule.code);
const catalogue = new CodeCatalogue();

const counts = (keys: readonly string[], description: string) =>
  z
    .object(Object.fromEntries(keys.map((key) => [key, z.number().int().min(0)])))
    .meta({ description });

export const statsBucketJson = z
  .object({
    start: z.string().meta({ format: 'date-time', description: 'Bucket start (UTC).' }),
    messages: z.number().int().min(0).meta({ description: 'Messages requested in the bucket.' }),
    entries: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Their billed segments (entries), summed.' }),
    statuses: counts(MESSAGE_STATUS_WORDS, 'Messages per status; every status, zeros included.'),
    processFailedReasons: counts(REASON_WORDS, 'Process-failed messages per reason.'),
    sendFailureCodes: counts(
      CODES.map(String),
      'Send-failed messages per code (500 empty … 590 other).',
    ),
    deliveryRate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'delivered / messages (0..1); null without messages.' }),
    failureRate: z.number().min(0).max(1).nullable().meta({
      description: '(process_failed + send_failed) / messages (0..1); null without messages.',
    }),
  })
  .meta({ id: 'StatsBucket', description: 'Message counts of one period.' });

export const messageStatsJson = z
  .object({
    groupBy: z.enum(['day', 'hour']),
    buckets: z
      .array(statsBucketJson)
      .meta({ description: 'Every bucket of the period, oldest first, empty ones included.' }),
    total: statsBucketJson.meta({ description: 'The whole period.' }),
  })
  .meta({ id: 'MessageStats', description: 'Message statistics of a period.' });

export type StatsBucketJson = z.infer<typeof statsBucketJson>;
export type MessageStatsJson = z.infer<typeof messageStatsJson>;

const zeros = (keys: readonly (string | number)[]) =>
  Object.fromEntries(keys.map((key) => [String(key), 0])) as Record<string, number>;

export function toStatsBucketJson(bucket: statusV1.MessageStatsBucket): StatsBucketJson {
  const statuses = zeros(MESSAGE_STATUS_WORDS);
  for (const count of bucket.statuses) {
    const word = enumWord(count.status, ENUM_PREFIX.messageStatus);
    if (word) statuses[word] = (statuses[word] ?? 0) + count.messages;
  }
  const reasons = zeros(REASON_WORDS);
  for (const count of bucket.processFailedReasons) {
    const word = enumWord(count.reason, ENUM_PREFIX.processFailedReason);
    if (word) reasons[word] = (reasons[word] ?? 0) + count.messages;
  }
  const codes = zeros(CODES);
  for (const count of bucket.sendFailureCodes) {
    const word = enumWord(count.code, ENUM_PREFIX.sendFailureCode);
    const code = word ? catalogue.ruleForName(word.toUpperCase())?.code : undefined;
    if (code !== undefined) codes[String(code)] = (codes[String(code)] ?? 0) + count.messages;
  }
  const rate = (part: number) => (bucket.messages ? part / bucket.messages : null);
  return {
    start: isoOrNull(bucket.start) ?? '',
    messages: bucket.messages,
    entries: bucket.entries,
    statuses,
    processFailedReasons: reasons,
    sendFailureCodes: codes,
    deliveryRate: rate(statuses['delivered'] ?? 0),
    failureRate: rate((statuses['process_failed'] ?? 0) + (statuses['send_failed'] ?? 0)),
  };
}
