import {
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

/** SPEC.md 4: the default keyword lists; configuration may replace them. */
export const DEFAULT_UNSUBSCRIBE_KEYWORDS =
  'STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,OPTOUT,OPT-OUT,REVOKE,REMOVE,ARRET,TD,T,N,退订,TD退订,取消';
export const DEFAULT_RESUBSCRIBE_KEYWORDS = 'START,UNSTOP,SUBSCRIBE';

const keywordList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((keyword) => keyword.trim())
        .filter((keyword) => keyword.length > 0),
    )
    .refine((keywords) => keywords.length > 0, 'must name at least one keyword');

export const replyConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('reply'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:reply}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  /** `host:port,...` seeds of a Redis Cluster; empty: the one Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: redisClusterNodes(),
  ...queueWorkerFields(),
  GRPC_PORT: portNumber().default(50053),
  HTTP_PORT: portNumber().default(9103),
  /** status-tracker, asked for the message a reply answers. */
  STATUS_GRPC_TARGET: grpcTarget().default('127.0.0.1:50051'),
  /** interception-service, told about unsubscribes and resubscribes. */
  INTERCEPTION_GRPC_TARGET: grpcTarget().default('127.0.0.1:50052'),
  /** Deadline of every outgoing gRPC call. */
  GRPC_DEADLINE_MS: durationMs().min(1, 'must be at least 1 ms').default(5000),
  UNSUBSCRIBE_KEYWORDS: keywordList(DEFAULT_UNSUBSCRIBE_KEYWORDS),
  RESUBSCRIBE_KEYWORDS: keywordList(DEFAULT_RESUBSCRIBE_KEYWORDS),
  /** Days replies stay stored and queryable; the spec forbids less than 30. */
  RETENTION_DAYS: retentionDays().default(30),
  /** Daily partitions created ahead of today. */
  PARTITIONS_AHEAD_DAYS: positiveInt().max(60, 'must be at most 60').default(3),
  /** How far in the future a received_at may lie (channel clock skew). */
  MAX_CLOCK_SKEW_MS: durationMs().default(5 * 60_000),
  /** HMAC key of page tokens; set a real secret in production (all replicas share it). */
  PAGE_TOKEN_SECRET: developmentSecret('dev-only-reply-page-token-secret'),
  /** Outbox job retries (per arming) and their capped exponential backoff. */
  OUTBOX_ATTEMPTS: positiveInt().default(20),
  OUTBOX_BACKOFF_MS: durationMs().min(1, 'must be at least 1 ms').default(1000),
  OUTBOX_MAX_BACKOFF_MS: durationMs()
    .min(1, 'must be at least 1 ms')
    .default(5 * 60_000),
  /** Period of the outbox relay and of the pending-attribution retry. */
  MAINTENANCE_INTERVAL_MS: durationMs().min(100, 'must be at least 100 ms').default(30_000),
  /** An outbox row this old and still pending is re-armed by the relay. */
  OUTBOX_RELAY_AFTER_MS: durationMs().default(10_000),
  /** Period of the partition job (create ahead, drop expired). */
  RETENTION_INTERVAL_MS: durationMs().min(1000, 'must be at least 1000 ms').default(3_600_000),
  /** webhook-dispatcher, handed reply.received events through webhook_outbox. */
  WEBHOOK_GRPC_TARGET: grpcTarget().default('127.0.0.1:50054'),
  /** Fallback period of the webhook outbox relay (it also runs after every commit with events). */
  WEBHOOK_RELAY_INTERVAL_MS: durationMs().min(50, 'must be at least 50 ms').default(1000),
  /** Events per PublishEvents call (the dispatcher takes at most 1,000). */
  WEBHOOK_RELAY_BATCH: positiveInt().max(1000, 'must be at most 1000').default(500),
  /** gRPC TLS (GRPC_TLS_*): on when configured, plaintext otherwise (development). */
  ...grpcTlsFields(),
  /** Caller tokens (GRPC_TOKEN_*): of every caller this server admits, and its own. */
  ...grpcTokenFields(GRPC_CALLERS),
});

export type ReplyConfig = z.infer<typeof replyConfigSchema>;

export const REPLY_CONFIG = Symbol('REPLY_CONFIG');
