import {
  portNumber,
  postgresUrl,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const replyConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('reply'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:reply}`. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .default('sms'),
  GRPC_PORT: portNumber().default(50053),
  HTTP_PORT: portNumber().default(9103),
});

export type ReplyConfig = z.infer<typeof replyConfigSchema>;

export const REPLY_CONFIG = Symbol('REPLY_CONFIG');
