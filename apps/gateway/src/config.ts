import {
  durationMs,
  grpcTarget,
  portNumber,
  positiveInt,
  postgresUrl,
  redisPrefix,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('gateway'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:gateway}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  HTTP_PORT: portNumber().default(3000),
  STATUS_GRPC_TARGET: grpcTarget().default('127.0.0.1:50051'),
  INTERCEPTION_GRPC_TARGET: grpcTarget().default('127.0.0.1:50052'),
  REPLY_GRPC_TARGET: grpcTarget().default('127.0.0.1:50053'),
  /** Deadline of every call to a back-end service. */
  GRPC_DEADLINE_MS: durationMs().default(5000),
  /** Requests per API key per one-minute window. */
  RATE_LIMIT_PER_MINUTE: positiveInt().default(600),
  /** How long a verified key record is trusted: a revocation takes effect within this time. */
  AUTH_CACHE_TTL_MS: durationMs()
    .max(60_000, 'must be at most 60000 (revocations must bite)')
    .default(5000),
  /** Largest accepted request body. */
  MAX_BODY_BYTES: positiveInt().default(16_384),
  /** How far back queries may reach; the back ends keep data at least this long. */
  RETENTION_DAYS: positiveInt().default(30),
  /** The built web console (apps/console), served at /console/; relative to the working directory. */
  CONSOLE_DIR: z.string().min(1).default('dist/console'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
