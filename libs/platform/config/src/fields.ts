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

/** Base of a service's hash-tagged Redis key prefix (keys live under `{<base>:<service>}`). */
export const redisPrefix = () =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -');

/**
 * Where a gRPC client connects: `host:port`, `[ipv6]:port`, `dns:///host:port` (spreads calls
 * over replicas) or `unix:path`. Refused at start-up rather than on the first call.
 */
export const grpcTarget = () =>
  z
    .string({ error: 'is required' })
    .regex(
      /^(?:(?:dns:\/\/\/)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}|unix:\S+)$/,
      'must be a gRPC target such as 127.0.0.1:50051 or dns:///host:port',
    );

/** A signing key (e.g. of page tokens); long enough not to be guessed. */
export const secret = (minLength = 16) =>
  z.string().min(minLength, `must be at least ${minLength} characters`);

/** Days data stays stored and queryable; the spec forbids less than 30. */
export const retentionDays = () =>
  z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(30, 'must be at least 30 (days; data is kept for 30 days, never less)');
