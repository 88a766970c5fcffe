import { postgresUrl } from '@sms/platform-config';
import type { z } from 'zod';
import { gatewayConfigSchema } from '../config';

/** The database `npm start` runs against (scripts/run-system.sh), so the CLI works beside it. */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/sms';

/** The accounts CLI's own settings: the gateway's database, defaulting to the local one. */
export const accountsCliConfigSchema = gatewayConfigSchema
  .pick({ DATABASE_URL: true, DATABASE_SCHEMA: true })
  .extend({ DATABASE_URL: postgresUrl().default(LOCAL_DATABASE_URL) });

export type AccountsCliConfig = z.infer<typeof accountsCliConfigSchema>;
