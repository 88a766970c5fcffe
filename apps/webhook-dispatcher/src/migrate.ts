import 'reflect-metadata';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { dispatcherConfigSchema } from './config';
import { ormSettings } from './database';

// `npm run migrate` applies this service's pending migrations; services never migrate on boot.
async function main(): Promise<void> {
  const config = loadConfig(
    'webhook-dispatcher',
    dispatcherConfigSchema.pick({ DATABASE_URL: true, DATABASE_SCHEMA: true }),
    process.env,
  );
  const applied = await runMigrations(ormSettings(config));
  process.stdout.write(
    `webhook-dispatcher: ${applied.length} migration(s) applied in schema ${config.DATABASE_SCHEMA}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `webhook-dispatcher migrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
