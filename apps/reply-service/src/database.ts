import type { OrmSettings } from '@sms/platform-database';
import type { ReplyConfig } from './config';
import { KeywordEffect } from './keyword-effects/keyword-effect.entity';
import { Migration001Replies } from './migrations/migration-001-replies';
import { Migration002KeywordEffectRounds } from './migrations/migration-002-keyword-effect-rounds';
import { Migration003ReplyMessageIndex } from './migrations/migration-003-reply-message-index';
import { Migration004WebhookOutbox } from './migrations/migration-004-webhook-outbox';

/** Entities and migrations of this service's schema, for the app and the migrate command. */
export function ormSettings(
  config: Pick<ReplyConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
): OrmSettings {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [KeywordEffect],
    migrations: [
      { name: 'Migration001Replies', class: Migration001Replies },
      { name: 'Migration002KeywordEffectRounds', class: Migration002KeywordEffectRounds },
      { name: 'Migration003ReplyMessageIndex', class: Migration003ReplyMessageIndex },
      { name: 'Migration004WebhookOutbox', class: Migration004WebhookOutbox },
    ],
  };
}
