import type { OrmSettings } from '@sms/platform-database';
import type { DispatcherConfig } from './config';
import { WebhookDelivery } from './deliveries/webhook-delivery.entity';
import { WebhookEndpoint } from './endpoints/webhook-endpoint.entity';
import { WebhookEventRecord } from './events/webhook-event.entity';
import { Migration001Webhooks } from './migrations/migration-001-webhooks';
import { Migration002WebhookRetention } from './migrations/migration-002-webhook-retention';

/** Entities and migrations of this service's schema, for the app and the migrate command. */
export function ormSettings(
  config: Pick<DispatcherConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
): OrmSettings {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [WebhookEndpoint, WebhookEventRecord, WebhookDelivery],
    migrations: [
      { name: 'Migration001Webhooks', class: Migration001Webhooks },
      { name: 'Migration002WebhookRetention', class: Migration002WebhookRetention },
    ],
  };
}
