import { z } from 'zod';
import { pagingFields } from '../transport/request-fields';
import { WEBHOOK_EVENT_TYPES } from './webhook.json';

const urlField = () =>
  z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .meta({
      description:
        'Where events are POSTed: https (http only where the operator allows it for development); must not resolve to a private address.',
      example: 'https://example.com/hooks/sms',
    });

const eventTypesField = () =>
  z
    .array(
      z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }),
    )
    .min(1, 'must name at least one event type')
    .max(WEBHOOK_EVENT_TYPES.length, 'has too many entries')
    .meta({ description: 'The events to receive.' });

export const createWebhookBody = z
  .strictObject({
    url: urlField(),
    eventTypes: eventTypesField(),
  })
  .meta({ id: 'CreateWebhookRequest', description: 'An endpoint to register.' });
export type CreateWebhookBody = z.output<typeof createWebhookBody>;

export const updateWebhookBody = z
  .strictObject({
    url: urlField().optional(),
    eventTypes: eventTypesField().optional(),
    enabled: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({ description: 'true re-enables an endpoint disabled for failing.' }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'name at least one of url, eventTypes, enabled',
  })
  .meta({ id: 'UpdateWebhookRequest', description: 'The endpoint fields to change.' });
export type UpdateWebhookBody = z.output<typeof updateWebhookBody>;

export const listDeliveriesQuery = z.strictObject({ ...pagingFields() });
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuery>;
