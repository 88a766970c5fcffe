import type { QueueOptions } from 'bullmq';

/**
 * Root options for @nestjs/bullmq: the hash-tagged prefix keeps every queue key in one cluster
 * slot; `maxRetriesPerRequest: null` is what BullMQ workers require.
 */
export function queueRootOptions(url: string, prefix: string): QueueOptions {
  const parsed = new URL(url);
  return {
    prefix,
    connection: {
      host: parsed.hostname,
      port: Number(parsed.port || 6379),
      db: Number(parsed.pathname.slice(1) || 0),
      username: parsed.username || undefined,
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      tls: parsed.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
  };
}
