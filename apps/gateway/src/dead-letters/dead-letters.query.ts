import { z } from 'zod';
import { pagingFields } from '../transport/request-fields';

export const listDeadLettersQuery = z.strictObject({
  source: z
    .enum(['send-failures', 'keyword-effects'], {
      error: 'must be send-failures or keyword-effects',
    })
    .meta({
      description:
        'send-failures: failures status-tracker could not hand to the block list; keyword-effects: unsubscribes and resubscribes reply-service could not apply.',
    }),
  ...pagingFields(),
});
export type ListDeadLettersQuery = z.output<typeof listDeadLettersQuery>;
