import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  readonly url: string;
  /** Connection name shown by CLIENT LIST. */
  readonly name: string;
  /** BullMQ workers need `null` (block forever); request paths want a bounded retry. */
  readonly maxRetriesPerRequest?: number | null;
  readonly extra?: RedisOptions;
}

export function createRedis(settings: RedisSettings): Redis {
  return new Redis(settings.url, {
    connectionName: settings.name,
    maxRetriesPerRequest:
      settings.maxRetriesPerRequest === undefined ? 1 : settings.maxRetriesPerRequest,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...settings.extra,
  });
}

/**
 * `{base:service}`: every key of a service shares one Redis Cluster hash slot, so multi-key
 * commands (MGET over a whole batch, BullMQ's Lua scripts) work on a cluster.
 */
export function hashTaggedPrefix(base: string, service: string): string {
  const tag = `${base}:${service}`;
  if (/[{}\s]/.test(tag))
    throw new Error(`Redis prefix parts must not contain braces or spaces: ${tag}`);
  return `{${tag}}`;
}
