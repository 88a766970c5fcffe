import type { OrmSettings } from '@sms/platform-database';
import { BlockEntryEntity } from './block-list/block-entry.entity';
import { RecordedFailureEntity } from './block-list/recorded-failure.entity';
import type { InterceptionConfig } from './config';
import { Migration001BlockList } from './migrations/Migration001BlockList';
import {
  InterceptionWordEntity,
  WordListStateEntity,
} from './interception-words/interception-word.entity';
import { Migration002IndexGeneration } from './migrations/Migration002IndexGeneration';
import { Migration003Admission } from './migrations/Migration003Admission';
import { Migration004WebhookOutbox } from './migrations/Migration004WebhookOutbox';
import { Migration005FrequencyLimits } from './migrations/Migration005FrequencyLimits';
import { FrequencyLimitEntity } from './frequency-limits/frequency-limit.entity';
import { IndexPendingEntity, IndexStateEntity } from './hot-index/index-state.entity';
import { UnsubscribeEntity } from './unsubscribes/unsubscribe.entity';

/** Entities and migrations of this service's schema, for the app and the migrate command. */
export function ormSettings(
  config: Pick<InterceptionConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
): OrmSettings {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [
      BlockEntryEntity,
      RecordedFailureEntity,
      UnsubscribeEntity,
      InterceptionWordEntity,
      WordListStateEntity,
      FrequencyLimitEntity,
      IndexStateEntity,
      IndexPendingEntity,
    ],
    migrations: [
      { name: 'Migration001BlockList', class: Migration001BlockList },
      { name: 'Migration002IndexGeneration', class: Migration002IndexGeneration },
      { name: 'Migration003Admission', class: Migration003Admission },
      { name: 'Migration004WebhookOutbox', class: Migration004WebhookOutbox },
      { name: 'Migration005FrequencyLimits', class: Migration005FrequencyLimits },
    ],
  };
}
