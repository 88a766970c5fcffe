import {
  booleanFromString,
  durationMs,
  grpcTarget,
  portNumber,
  positiveInt,
  postgresUrl,
  queueWorkerFields,
  redisClusterNodes,
  redisPrefix,
  redisUrl,
  retentionDays,
  schemaName,
  developmentSecret,
  serviceBaseFields,
  GRPC_CALLERS,
  grpcTlsFields,
  grpcTokenFields,
} from '@sms/platform-config';
import { z } from 'zod';

export const statusConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('status_tracker'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:status}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  /** `host:port,...` seeds of a Redis Cluster; empty: the one Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: redisClusterNodes(),
  ...queueWorkerFields(),
  GRPC_PORT: portNumber().default(50051),
  HTTP_PORT: portNumber().default(9101),
  /** Days messages stay queryable; SPEC 2.4 forbids less than 30. */
  RETENTION_DAYS: retentionDays().default(30),
  /** Daily partitions created this many days ahead of today. */
  PARTITIONS_AHEAD_DAYS: positiveInt().max(30, 'must be at most 30').default(3),
  /** A message still WAIT_RESULT this long after channel send time becomes SEND_FAILED/590. */
  WAIT_RESULT_TIMEOUT_HOURS: positiveInt().default(72),
  /** Receipts for unknown messages are kept this long, then dropped and counted. */
  PARKED_TTL_HOURS: positiveInt().default(24),
  /**
   * GetMessageStats reads the hourly rollup when every filter is one of its dimensions. `false`
   * always counts the message rows (the rollup is still maintained): for comparing the two plans
   * (bench/status/stats.ts) and as a way out should the rollup ever be suspected wrong.
   */
  STATS_FROM_ROLLUP: booleanFromString().default(true),
  /** Signs ListMessages page tokens. Set a real secret in production. */
  PAGE_TOKEN_SECRET: developmentSecret('status-tracker-dev-page-token-secret'),
  INTERCEPTION_GRPC_TARGET: grpcTarget().default('127.0.0.1:50052'),
  GRPC_DEADLINE_MS: durationMs().default(5000),
  /** RecordFailure retries: attempts and the first backoff delay (doubling each time). */
  OUTBOX_ATTEMPTS: positiveInt().default(40),
  OUTBOX_BACKOFF_MS: durationMs().default(1000),
  /** The doubling stops here: with the defaults 40 attempts cover about 2.5 hours of outage. */
  OUTBOX_MAX_BACKOFF_MS: durationMs().default(300_000),
  /** How often the relay re-enqueues outbox rows a crash left behind. */
  OUTBOX_RELAY_INTERVAL_MS: durationMs().default(10_000),
  /** webhook-dispatcher, handed every status change through webhook_outbox. */
  WEBHOOK_GRPC_TARGET: grpcTarget().default('127.0.0.1:50054'),
  /** Fallback period of the webhook outbox relay (it also runs after every ingest commit). */
  WEBHOOK_RELAY_INTERVAL_MS: durationMs().min(50, 'must be at least 50 ms').default(1000),
  /** Events per PublishEvents call (the dispatcher takes at most 1,000). */
  WEBHOOK_RELAY_BATCH: positiveInt().max(1000, 'must be at most 1000').default(500),
  /** How often the wait-result timeout and the parked-receipt expiry run. */
  SWEEP_INTERVAL_MS: durationMs().default(60_000),
  /** How often partitions are created ahead and expired ones dropped. */
  PARTITION_INTERVAL_MS: durationMs().default(3_600_000),
  /** gRPC TLS (GRPC_TLS_*): on when configured, plaintext otherwise (development). */
  ...grpcTlsFields(),
  /** Caller tokens (GRPC_TOKEN_*): of every caller this server admits, and its own. */
  ...grpcTokenFields(GRPC_CALLERS),
});

export type StatusConfig = z.infer<typeof statusConfigSchema>;

export const STATUS_CONFIG = Symbol('STATUS_CONFIG');
