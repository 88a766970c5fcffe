import {
  portNumber,
  postgresUrl,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const statusConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('status_tracker'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:status}`. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .default('sms'),
  GRPC_PORT: portNumber().default(50051),
  HTTP_PORT: portNumber().default(9101),
});

export type StatusConfig = z.infer<typeof statusConfigSchema>;

export const STATUS_CONFIG = Symbol('STATUS_CONFIG');
