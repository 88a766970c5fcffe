import { isIP } from 'node:net';
import { z } from 'zod';

// Reusable field parsers for environment variables (all arrive as strings).

export const postgresUrl = () =>
  z
    .string({ error: 'is required' })
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
      message: 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/sms',
    });

export const redisUrl = () =>
  z
    .string({ error: 'is required' })
    .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
      message: 'must be a redis:// URL, e.g. redis://127.0.0.1:6379/0',
    });

export const portNumber = () =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0..65535')
    .max(65535, 'must be 0..65535');

export const positiveInt = () =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be greater than 0');

/** Milliseconds, as a whole number. */
export const durationMs = () =>
  z.coerce
    .number({ error: 'must be a duration in milliseconds' })
    .int('must be a whole number of milliseconds')
    .nonnegative('must not be negative');

export const booleanFromString = () =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1');

export const schemaName = () =>
  z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL identifier');

/** An IP address to listen on (IPv4 or IPv6 literal, e.g. 127.0.0.1, 0.0.0.0, ::). */
export const bindHost = () =>
  z.string().refine((value) => isIP(value) !== 0, {
    message: 'must be an IP address to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0',
  });

/** `host:port` for a gRPC bind address (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Settings every service process has. */
export const serviceBaseFields = () => ({
  /**
   * Where the HTTP and gRPC servers listen. This machine only by default, as README says;
   * containers (docker-compose, Kubernetes) set 0.0.0.0 so other containers reach them.
   */
  BIND_HOST: bindHost().default('127.0.0.1'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], {
      error: 'must be fatal, error, warn, info, debug or trace',
    })
    .default('info'),
  SHUTDOWN_DEADLINE_MS: durationMs().default(10_000),
});

/**
 * BullMQ worker locks. A job held by a worker that died (SIGKILL, lost host) goes back to the
 * queue once its lock lapsed (QUEUE_LOCK_DURATION_MS, renewed every half of it while the job
 * runs) and a stalled-job check ran (every QUEUE_STALLED_INTERVAL_MS, on any live worker):
 * shorter values recover faster but cost more Redis writes, and an event loop blocked for half
 * the lock lets a second worker run the job too (every job here is idempotent).
 */
export const queueWorkerFields = () => ({
  QUEUE_LOCK_DURATION_MS: durationMs().min(1000, 'must be at least 1000').default(30_000),
  QUEUE_STALLED_INTERVAL_MS: durationMs().min(1000, 'must be at least 1000').default(30_000),
});

/** Base of a service's hash-tagged Redis key prefix (keys live under `{<base>:<service>}`). */
export const redisPrefix = () =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -');

const HOST_PORT = String.raw`(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}`;
const IPV4_PORT = String.raw`\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}`;
const IPV6_PORT = String.raw`\[[0-9A-Fa-f:.]+\]:\d{1,5}`;

/**
 * Where a gRPC client connects: `host:port`, `[ipv6]:port`, `dns:///host:port` (spreads calls
 * over replicas), a fixed list of replicas `ipv4:10.0.0.1:50051,10.0.0.2:50051` (or `ipv6:`)
 * or `unix:path`. Refused at start-up rather than on the first call.
 */
export const grpcTarget = () =>
  z
    .string({ error: 'is required' })
    .regex(
      new RegExp(
        `^(?:(?:dns:///)?${HOST_PORT}|ipv4:${IPV4_PORT}(?:,${IPV4_PORT})*|ipv6:${IPV6_PORT}(?:,${IPV6_PORT})*|unix:\\S+)$`,
      ),
      'must be a gRPC target such as 127.0.0.1:50051, dns:///host:port or ipv4:10.0.0.1:50051,10.0.0.2:50051',
    );

/** One seed of a Redis Cluster. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * REDIS_CLUSTER_NODES: `host:port,host:port,...` seeds of a Redis Cluster; empty (the default)
 * means one Redis at REDIS_URL. In cluster mode REDIS_URL still gives the user, password and TLS
 * (`rediss:`); a database other than 0 in it is refused at start-up (a cluster has no other).
 */
export const redisClusterNodes = () =>
  z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      for (const seed of splitList(value)) {
        if (!new RegExp(`^${HOST_PORT}$`).test(seed) || Number(seed.split(':').pop()) > 65535)
          ctx.addIssue({
            code: 'custom',
            message: `must be host:port seeds separated by commas, e.g. redis-0:6379,redis-1:6379 (not ${JSON.stringify(seed)})`,
          });
      }
    })
    .transform((value): RedisClusterNode[] =>
      splitList(value).map((seed) => {
        const at = seed.lastIndexOf(':');
        return {
          host: seed.slice(0, at).replace(/^\[|\]$/g, ''),
          port: Number(seed.slice(at + 1)),
        };
      }),
    );

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A signing key (e.g. of page tokens); long enough not to be guessed. */
export const secret = (minLength = 16) =>
  z.string().min(minLength, `must be at least ${minLength} characters`);

/** Days data stays stored and queryable; the spec forbids less than 30. */
export const retentionDays = () =>
  z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(30, 'must be at least 30 (days; data is kept for 30 days, never less)');
