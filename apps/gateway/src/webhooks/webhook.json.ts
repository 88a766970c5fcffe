import type { webhookV1 } from '@sms/contracts';
import { z } from 'zod';
import { isoOrNull, textOrNull } from '../transport/json-values';

/** The event types an endpoint may subscribe to (the webhook-dispatcher's list). */
export const WEBHOOK_EVENT_TYPES = [
  'message.status',
  'reply.received',
  'unsubscribe.changed',
  'block_list.entry_created',
] as const;

const DELIVERY_STATUS_WORDS = ['pending', 'delivered', 'failed'] as const;

export const webhookJson = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({
      description: 'Why the endpoint is disabled (e.g. failing for 3 days); null when enabled.',
    }),
    failingSince: z
      .string()
      .meta({ format: 'date-time' })
      .nullable()
      .meta({ description: 'Since when every delivery failed; null while deliveries succeed.' }),
    createdAt: z.string().meta({ format: 'date-time' }).nullable(),
    updatedAt: z.string().meta({ format: 'date-time' }).nullable(),
  })
  .meta({ id: 'Webhook', description: 'A webhook endpoint of the account.' });
export type WebhookJson = z.infer<typeof webhookJson>;

export const webhookWithSecretJson = webhookJson
  .extend({
    secret: z.string().meta({
      description:
        'The signing secret (whsec_…): shown only in this answer. Verify webhook-signature with it.',
    }),
  })
  .meta({ id: 'WebhookWithSecret', description: 'A webhook endpoint with its signing secret.' });
export type WebhookWithSecretJson = z.infer<typeof webhookWithSecretJson>;

export const deliveryJson = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: 'The webhook-id header: the same on every attempt.' }),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUS_WORDS),
    attempts: z.number().int().min(0).max(1000),
    lastHttpCode: z
      .number()
      .int()
      .min(100)
      .max(599)
      .nullable()
      .meta({ description: 'null: no answer (timeout, refused).' }),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().meta({ format: 'date-time' }).nullable(),
    createdAt: z.string().meta({ format: 'date-time' }).nullable(),
    updatedAt: z.string().meta({ format: 'date-time' }).nullable(),
  })
  .meta({
    id: 'WebhookDelivery',
    description: 'One event delivered (or being delivered) to an endpoint.',
  });
export type DeliveryJson = z.infer<typeof deliveryJson>;

export function toWebhookJson(endpoint: webhookV1.Endpoint): WebhookJson {
  return {
    id: endpoint.endpointId,
    url: endpoint.url,
    eventTypes: (endpoint.eventTypes ?? []) as WebhookJson['eventTypes'],
    enabled: endpoint.enabled,
    disabledReason: endpoint.enabled ? null : textOrNull(endpoint.disabledReason),
    failingSince: isoOrNull(endpoint.failingSince),
    createdAt: isoOrNull(endpoint.createdAt),
    updatedAt: isoOrNull(endpoint.updatedAt),
  };
}

const STATUS_WORD: Record<string, DeliveryJson['status']> = {
  DELIVERY_STATUS_PENDING: 'pending',
  DELIVERY_STATUS_DELIVERED: 'delivered',
  DELIVERY_STATUS_FAILED: 'failed',
};

export function toDeliveryJson(delivery: webhookV1.Delivery): DeliveryJson {
  return {
    id: delivery.deliveryId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: STATUS_WORD[delivery.status] ?? 'pending',
    attempts: delivery.attempts,
    lastHttpCode: delivery.lastHttpCode || null,
    lastError: textOrNull(delivery.lastError),
    nextAttemptAt: isoOrNull(delivery.nextAttemptAt),
    createdAt: isoOrNull(delivery.createdAt),
    updatedAt: isoOrNull(delivery.updatedAt),
  };
}
