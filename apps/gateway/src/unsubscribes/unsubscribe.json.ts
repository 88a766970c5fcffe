import type { interceptionV1 } from '@sms/contracts';
import { z } from 'zod';
import { ENUM_PREFIX, enumWord } from '../transport/enum-words';
import { isoOrNull, textOrNull } from '../transport/json-values';

export const unsubscribeJson = z
  .object({
    phone: z.string().meta({ description: 'E.164' }),
    since: z.string().meta({ format: 'date-time' }).nullable(),
    source: z.enum(['reply', 'api']).nullable(),
    replyId: z.string().nullable(),
  })
  .meta({ id: 'Unsubscribe', description: 'A number that unsubscribed from the account.' });
export type UnsubscribeJson = z.infer<typeof unsubscribeJson>;

export function toUnsubscribeJson(unsubscribe: interceptionV1.Unsubscribe): UnsubscribeJson {
  return {
    phone: unsubscribe.phone,
    since: isoOrNull(unsubscribe.since),
    source: enumWord(
      unsubscribe.source,
      ENUM_PREFIX.unsubscribeSource,
    ) as UnsubscribeJson['source'],
    replyId: textOrNull(unsubscribe.replyId),
  };
}
