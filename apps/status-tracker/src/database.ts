import type { OrmSettings } from '@sms/platform-database';
import type { StatusConfig } from './config';
import { MessageEntity, MessageKeyEntity, ParkedEventEntity } from './messages/message.entity';
import { Migration20261129000000StatusStore } from './migrations/Migration20261129000000StatusStore';
import { Migration20261204000000OutboxRounds } from './migrations/Migration20261204000000OutboxRounds';
import { Migration20261204000000StatsIndex } from './migrations/Migration20261204000000StatsIndex';
import { Migration20261205000000StatsRollup } from './migrations/Migration20261205000000StatsRollup';
import { Migration20261205000000StoredEnumNumbers } from './migrations/Migration20261205000000StoredEnumNumbers';
import { Migration20261205000000WebhookOutbox } from './migrations/Migration20261205000000WebhookOutbox';
import { FailureDeadLetterEntity, FailureOutboxEntity } from './outbox/failure-outbox.entity';

/** Entities and migrations of this service's schema, for the app and the migrate command. */
export function ormSettings(
  config: Pick<StatusConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
): OrmSettings {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    // The tables read or written by the EntityManager; the rest (the statistics rollup, the enum
    // lookup tables) are only touched by raw SQL in a repository (README, "Data access").
    entities: [
      MessageEntity,
      MessageKeyEntity,
      ParkedEventEntity,
      FailureOutboxEntity,
      FailureDeadLetterEntity,
    ],
    migrations: [
      { name: 'Migration20261129000000StatusStore', class: Migration20261129000000StatusStore },
      { name: 'Migration20261204000000OutboxRounds', class: Migration20261204000000OutboxRounds },
      { name: 'Migration20261204000000StatsIndex', class: Migration20261204000000StatsIndex },
      { name: 'Migration20261205000000StatsRollup', class: Migration20261205000000StatsRollup },
      {
        name: 'Migration20261205000000StoredEnumNumbers',
        class: Migration20261205000000StoredEnumNumbers,
      },
      { name: 'Migration20261205000000WebhookOutbox', class: Migration20261205000000WebhookOutbox },
    ],
  };
}
