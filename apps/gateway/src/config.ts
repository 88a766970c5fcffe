import {
  durationMs,
  grpcTarget,
  portNumber,
  positiveInt,
  postgresUrl,
  redisClusterNodes,
  redisPrefix,
  redisUrl,
  schemaName,
  serviceBaseFields,
  grpcTlsFields,
  grpcTokenFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('gateway'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:gateway}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  /** `host:port,...` seeds of a Redis Cluster; empty: the one Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: redisClusterNodes(),
  HTTP_PORT: portNumber().default(3000),
  STATUS_GRPC_TARGET: grpcTarget().default('127.0.0.1:50051'),
  INTERCEPTION_GRPC_TARGET: grpcTarget().default('127.0.0.1:50052'),
  REPLY_GRPC_TARGET: grpcTarget().default('127.0.0.1:50053'),
  /** webhook-dispatcher: customers' webhook endpoints and deliveries. */
  WEBHOOK_GRPC_TARGET: grpcTarget().default('127.0.0.1:50054'),
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
  /** Failed authentications per client address and minute before it is answered 429. */
  AUTH_FAILURES_PER_MINUTE: positiveInt().default(30),
  /** Unknown key ids remembered (for AUTH_CACHE_TTL_MS) so guessing never reaches PostgreSQL. */
  AUTH_NEGATIVE_CACHE_SIZE: positiveInt().default(50_000),
  /** gRPC TLS (GRPC_TLS_*): on when configured, plaintext otherwise (development). */
  ...grpcTlsFields(),
  /** This caller's token towards the back ends (GRPC_TOKEN_GATEWAY). */
  ...grpcTokenFields(['gateway']),
  /** A console session ends after this long without a request. */
  SESSION_IDLE_TIMEOUT_MS: durationMs().min(60_000, 'must be at least 60000').default(1_800_000),
  /** A console session ends this long after sign-in, however active. */
  SESSION_ABSOLUTE_TIMEOUT_MS: durationMs()
    .min(60_000, 'must be at least 60000')
    .default(43_200_000),
  /** `auto`: the session cookie is Secure when the request came over HTTPS; `always`: always. */
  SESSION_COOKIE_SECURE: z
    .enum(['auto', 'always'], { error: 'must be auto or always' })
    .default('auto'),
  /** Failed sign-ins allowed per email within SIGN_IN_FAILURE_WINDOW_MS. */
  SIGN_IN_FAILURES_PER_EMAIL: positiveInt().default(5),
  /** Failed sign-ins allowed per client IP within SIGN_IN_FAILURE_WINDOW_MS. */
  SIGN_IN_FAILURES_PER_IP: positiveInt().default(20),
  SIGN_IN_FAILURE_WINDOW_MS: durationMs().min(1000, 'must be at least 1000').default(900_000),
  /** The built web console (apps/console), served at /console/; relative to the working directory. */
  CONSOLE_DIR: z.string().min(1).default('dist/console'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
