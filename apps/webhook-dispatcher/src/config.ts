import {
  booleanFromString,
  developmentSecret,
  durationMs,
  GRPC_CALLERS,
  grpcTlsFields,
  grpcTokenFields,
  portNumber,
  positiveInt,
  postgresUrl,
  queueWorkerFields,
  redisClusterNodes,
  redisPrefix,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from '@sms/platform-config';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/** Issue 16: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after the first attempt: about a day in all. */
export const DEFAULT_RETRY_DELAYS_MS = '5000,300000,1800000,7200000,18000000,36000000';

const retryDelays = () =>
  z
    .string()
    .default(DEFAULT_RETRY_DELAYS_MS)
    .transform((value, ctx) => {
      const delays = value.split(',').map((part) => Number(part.trim()));
      if (!delays.length || delays.some((delay) => !Number.isSafeInteger(delay) || delay < 1)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a comma-separated list of whole milliseconds ≥ 1, e.g. 5000,300000',
        });
        return z.NEVER;
      }
      return delays;
    });

/**
 * CIDRs (e.g. `127.0.0.1/32,::1/128`) that endpoints may resolve to although they are loopback,
 * private or link-local. Empty in production; tests and local development name their receiver.
 */
const cidrList = () =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const list = new BlockList();
      const cidrs = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      for (const cidr of cidrs) {
        const [address, bits] = cidr.split('/');
        const family = isIP(address ?? '');
        const prefix = Number(bits);
        const max = family === 6 ? 128 : 32;
        if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
          ctx.addIssue({ code: 'custom', message: `"${cidr}" is not a CIDR such as 10.0.0.0/8` });
          return z.NEVER;
        }
        list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
      }
      return { list, cidrs };
    });

export const dispatcherConfigSchema = z.object({
  ...serviceBaseFields(),
  DATABASE_URL: postgresUrl(),
  DATABASE_SCHEMA: schemaName().default('webhook'),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  /** Base of the hash-tagged key prefix: keys live under `{<base>:webhook}`. */
  REDIS_PREFIX: redisPrefix().default('sms'),
  /** `host:port,...` seeds of a Redis Cluster; empty: the one Redis of REDIS_URL. */
  REDIS_CLUSTER_NODES: redisClusterNodes(),
  GRPC_PORT: portNumber().default(50054),
  HTTP_PORT: portNumber().default(9104),
  /** Encrypts endpoint secrets at rest (AES-256-GCM; the key is SHA-256 of this value). */
  WEBHOOK_SECRET_KEY: developmentSecret('dev-only-webhook-secret-encryption-key'),
  /** Deadline of one delivery attempt: connect, send and the answer's head (issue 16: 3 s). */
  WEBHOOK_TIMEOUT_MS: durationMs().min(100, 'must be at least 100 ms').default(3000),
  /** Waits before the retries of a failed delivery; one retry per entry, then FAILED. */
  WEBHOOK_RETRY_DELAYS_MS: retryDelays(),
  /** Random spread of each retry wait, as a fraction of it (0.2: ±20 %). */
  WEBHOOK_RETRY_JITTER: z.coerce
    .number({ error: 'must be a number' })
    .min(0, 'must be 0..0.5')
    .max(0.5, 'must be 0..0.5')
    .default(0.2),
  /** An endpoint whose every delivery failed for this long is disabled (issue 16: 3 days). */
  WEBHOOK_DISABLE_AFTER_MS: durationMs()
    .min(1, 'must be at least 1 ms')
    .default(3 * 86_400_000),
  /** Deliveries in flight to one endpoint at a time, over all replicas. */
  WEBHOOK_ENDPOINT_CONCURRENCY: positiveInt().max(100, 'must be at most 100').default(16),
  /** Deliveries in flight per replica. */
  WEBHOOK_WORKER_CONCURRENCY: positiveInt().max(1000, 'must be at most 1000').default(64),
  /** Bytes of a receiver's answer read (and kept as the error detail); the rest is dropped. */
  WEBHOOK_MAX_RESPONSE_BYTES: positiveInt().max(65_536, 'must be at most 65536').default(4096),
  /** Development only: endpoints may use http://. Production endpoints must use https://. */
  WEBHOOK_ALLOW_HTTP: booleanFromString().default(false),
  /** CIDRs endpoints may resolve to although private/loopback/link-local (tests, development). */
  WEBHOOK_ALLOWED_CIDRS: cidrList(),
  /** Endpoints per account. */
  WEBHOOK_MAX_ENDPOINTS: positiveInt().max(100, 'must be at most 100').default(10),
  /** Due deliveries taken from PostgreSQL per statement (at most the free workers). */
  WEBHOOK_CLAIM_BATCH: positiveInt().max(1000, 'must be at most 1000').default(100),
  /**
   * How often an idle replica looks for due deliveries (retries, other replicas' intake, leases
   * of a replica that died); new deliveries of its own intake start at once.
   */
  WEBHOOK_POLL_INTERVAL_MS: durationMs().min(10, 'must be at least 10 ms').default(250),
  /** HMAC key of page tokens; set a real secret in production (all replicas share it). */
  PAGE_TOKEN_SECRET: developmentSecret('dev-only-webhook-page-token-secret'),
  /** Delivered and failed deliveries, and events none of whose deliveries is left, go after this. */
  WEBHOOK_RETENTION_DAYS: positiveInt().max(3650, 'must be at most 3650').default(30),
  /** Period of the retention job (daily). */
  WEBHOOK_RETENTION_INTERVAL_MS: durationMs()
    .min(1000, 'must be at least 1000 ms')
    .default(86_400_000),
  /** Rows one retention statement deletes: short statements, no long locks. */
  WEBHOOK_RETENTION_BATCH: positiveInt().max(100_000, 'must be at most 100000').default(5000),
  /** BullMQ lock and stalled-check times of the retention worker (a killed replica's job returns). */
  ...queueWorkerFields(),
  ...grpcTlsFields(),
  /** Caller tokens (GRPC_TOKEN_*): of every caller this server admits. */
  ...grpcTokenFields(GRPC_CALLERS),
});

export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;

export const DISPATCHER_CONFIG = Symbol('DISPATCHER_CONFIG');
