import { z } from 'zod';
import { pagingFields } from '../transport/request-fields';

export const DEAD_LETTER_SOURCES = [
  'send-failures',
  'keyword-effects',
  'message-status-events',
  'reply-events',
  'block-list-events',
] as const;

export const listDeadLettersQuery = z.strictObject({
  source: z
    .enum(DEAD_LETTER_SOURCES, {
      error: `must be one of ${DEAD_LETTER_SOURCES.join(', ')}`,
    })
    .meta({
      description:
        'send-failures: failures status-tracker could not hand to the block list; keyword-effects: unsubscribes and resubscribes reply-service could not apply; message-status-events, reply-events, block-list-events: webhook events (message.status from status-tracker, reply.received from reply-service, unsubscribe.changed and block_list.entry_created from interception-service) the webhook-dispatcher refused for good.',
    }),
  ...pagingFields(),
});
export type ListDeadLettersQuery = z.output<typeof listDeadLettersQuery>;
