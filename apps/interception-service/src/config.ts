import { parseDurationOverrides } from '@sms/domain-catalogue';
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
  schemaName,
  developmentSecret,
  serviceBaseFields,
  GRPC_CALLERS,
  grpcTlsFields,
  grpcTokenFields,
} from '@sms/platform-config';
import { z } from 'zod';
import { parseFrequencyLimits } from './admission/frequency-limits';

export const interceptionConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('interception'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:interception}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  /** `host:port,...` seeds of a Redis Cluster; empty: the one Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: redisClusterNodes(),
  ...queueWorkerFields(),
  GRPC_PORT: portNumber().default(50052),
  HTTP_PORT: portNumber().default(9102),
  /** Operator overrides of interception times, `code=seconds,...` (SPEC 2.1 defaults otherwise). */
  INTERCEPTION_DURATIONS: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseDurationOverrides(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .transform((value) => parseDurationOverrides(value)),
  /** Signs ListEntries / ListUnsubscribes page tokens so they cannot be forged or replayed elsewhere. */
  PAGE_TOKEN_SECRET: developmentSecret('dev-only-page-token-secret-change-me'),
  /** How often the repeatable sweep expires entries whose delayed job was lost. */
  EXPIRY_SWEEP_INTERVAL_MS: durationMs().min(1000, 'must be at least 1000').default(30_000),
  /** Parallel expiry jobs per process. */
  EXPIRY_CONCURRENCY: positiveInt().default(16),
  /** How often each process verifies the Redis index against PostgreSQL (and rebuilds it). */
  RECONCILE_INTERVAL_MS: durationMs().min(100, 'must be at least 100').default(5_000),
  /**
   * An index change Redis has not confirmed for this long makes every replica distrust the
   * index (the writing process distrusts it at once). Longer than a Redis write's deadline (2 s).
   */
  INDEX_PENDING_GRACE_MS: durationMs().min(100, 'must be at least 100').default(5_000),
  /**
   * A check gives up on Redis after this and answers from PostgreSQL. Not too short: a Redis
   * that is only busy would push the load onto PostgreSQL (measured: 250 ms under a 64 × 1,000
   * batch load did exactly that).
   */
  CHECK_REDIS_TIMEOUT_MS: positiveInt().default(1_000),
  /** Heap the send path's memoised phone normalisations may take (an estimate per entry). */
  CHECK_PHONE_CACHE_BYTES: positiveInt().default(16 * 1024 * 1024),
  /**
   * Memory CheckBatch's memoised Entry encodings may take (an estimate per entry, ~1 KB for a
   * typical entry): the entries checked most recently are answered without decoding.
   */
  CHECK_ENTRY_CACHE_BYTES: positiveInt().default(16 * 1024 * 1024),
  /**
   * Heap admission's memoised phone analyses may take (an estimate per entry, ~175 bytes for an
   * E.164 input): a budget of its own, beside CHECK_PHONE_CACHE_BYTES.
   */
  ADMISSION_PHONE_CACHE_BYTES: positiveInt().default(32 * 1024 * 1024),
  /** A check answered from PostgreSQL fails UNAVAILABLE after this. */
  CHECK_DATABASE_TIMEOUT_MS: positiveInt().default(2_000),
  /** Platform default frequency limits per number (admission), e.g. `template:1m=1,1h=5,1d=10;account:1d=20`. */
  ADMISSION_FREQUENCY_LIMITS: z
    .string()
    .default('template:1m=1,1h=5,1d=10;account:1d=20')
    .superRefine((value, ctx) => {
      try {
        parseFrequencyLimits(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .transform((value) => parseFrequencyLimits(value)),
  /** Characters admission refuses in content (CONTENT_ERROR), besides control characters. */
  ADMISSION_FORBIDDEN_CHARACTERS: z
    .string()
    .default('')
    .transform((value) => new Set([...value])),
  /** Countries (ISO 3166 alpha-2, comma-separated) whose marketing messages need a signature. */
  ADMISSION_SIGNATURE_COUNTRIES: z
    .string()
    .default('CN')
    .refine((value) => /^([A-Z]{2}(,[A-Z]{2})*)?$/.test(value.replace(/\s/g, '')), {
      message: 'must be ISO country codes separated by commas, e.g. CN,IN',
    })
    .transform((value) => new Set(value.replace(/\s/g, '').split(',').filter(Boolean))),
  /** How often each replica looks for changed interception-word lists (changes apply within it). */
  WORDS_RELOAD_INTERVAL_MS: durationMs().min(50, 'must be at least 50').default(500),
  /** webhook-dispatcher, handed unsubscribe.changed and block_list.entry_created events through webhook_outbox. */
  WEBHOOK_GRPC_TARGET: grpcTarget().default('127.0.0.1:50054'),
  /** Fallback period of the webhook outbox relay (it also runs after every commit with events). */
  WEBHOOK_RELAY_INTERVAL_MS: durationMs().min(50, 'must be at least 50 ms').default(1000),
  /** Events per PublishEvents call (the dispatcher takes at most 1,000). */
  WEBHOOK_RELAY_BATCH: positiveInt().max(1000, 'must be at most 1000').default(500),
  /** Deadline of a PublishEvents call. */
  WEBHOOK_GRPC_DEADLINE_MS: durationMs().min(1, 'must be at least 1 ms').default(5000),
  /** How often each replica looks for changed frequency limits (changes apply within it). */
  FREQUENCY_LIMITS_RELOAD_INTERVAL_MS: durationMs().min(50, 'must be at least 50').default(500),
  /** gRPC TLS (GRPC_TLS_*): on when configured, plaintext otherwise (development). */
  ...grpcTlsFields(),
  /** Caller tokens (GRPC_TOKEN_*): of every caller this server admits, and its own. */
  ...grpcTokenFields(GRPC_CALLERS),
});

export type InterceptionConfig = z.infer<typeof interceptionConfigSchema>;

export const INTERCEPTION_CONFIG = Symbol('INTERCEPTION_CONFIG');
