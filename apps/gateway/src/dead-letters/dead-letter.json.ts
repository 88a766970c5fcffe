import type { commonV1 } from '@sms/contracts';
import { z } from 'zod';
import { isoOrNull, textOrNull } from '../transport/json-values';

export const deadLetterJson = z
  .object({
    kind: z.enum(['record_failure', 'keyword_effect', 'webhook_event']),
    key: z
      .string()
      .meta({ description: '`<messageId>/<code>`, the reply id, or the webhook event id.' }),
    eventType: z
      .string()
      .nullable()
      .meta({ description: 'The webhook event type (webhook_event only), e.g. reply.received.' }),
    accountId: z.string().nullable(),
    phone: z.string().nullable(),
    reasonText: z
      .string()
      .meta({ description: 'Why the receiving service refused it for good, in words.' }),
    createdAt: z.string().meta({ format: 'date-time' }).nullable(),
    failedAt: z.string().meta({ format: 'date-time' }).nullable(),
  })
  .meta({ id: 'DeadLetter', description: 'A record a receiving service refused for good.' });
export type DeadLetterJson = z.infer<typeof deadLetterJson>;

export function toDeadLetterJson(letter: commonV1.DeadLetter): DeadLetterJson {
  return {
    kind:
      letter.kind === 'keyword_effect' || letter.kind === 'webhook_event'
        ? letter.kind
        : 'record_failure',
    key: letter.key,
    eventType: textOrNull(letter.eventType),
    accountId: textOrNull(letter.accountId),
    phone: textOrNull(letter.phone),
    reasonText: letter.error,
    createdAt: isoOrNull(letter.createdAt),
    failedAt: isoOrNull(letter.failedAt),
  };
}
