import type { QueueOptions } from 'bullmq';
import { createRedisClient, isCluster, type RedisEndpoint } from './redis';

/**
 * Root options for @nestjs/bullmq: the hash-tagged prefix keeps every queue key in one cluster
 * slot (BullMQ's Lua scripts touch many keys of a queue at once); `maxRetriesPerRequest: null`
 * is what BullMQ workers require. On a cluster BullMQ needs a client instance: its queues share
 * it (close it at shutdown, see RedisModule) and each worker duplicates it for blocking reads.
 */
export function queueRootOptions(endpoint: RedisEndpoint | string, prefix: string): QueueOptions {
  const { url, clusterNodes } = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
  if (isCluster({ url, clusterNodes })) {
    return {
      prefix,
      connection: createRedisClient({
        url,
        clusterNodes,
        name: `bullmq${prefix}`,
        maxRetriesPerRequest: null,
      }),
    };
  }
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
