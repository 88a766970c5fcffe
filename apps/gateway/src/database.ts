import type { OrmSettings } from '@sms/platform-database';
import { Account } from './accounts/account.entity';
import { ApiKey } from './accounts/api-key.entity';
import type { GatewayConfig } from './config';
import { Migration001Accounts } from './migrations/Migration001Accounts';
import { Migration002ConsoleUsers } from './migrations/Migration002ConsoleUsers';
import { ConsoleUser } from './users/user.entity';

/** Entities and migrations of this service's schema, for the app and the migrate command. */
export function ormSettings(
  config: Pick<GatewayConfig, 'DATABASE_URL' | 'DATABASE_SCHEMA'>,
): OrmSettings {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    entities: [Account, ApiKey, ConsoleUser],
    migrations: [
      { name: 'Migration001Accounts', class: Migration001Accounts },
      { name: 'Migration002ConsoleUsers', class: Migration002ConsoleUsers },
    ],
  };
}
