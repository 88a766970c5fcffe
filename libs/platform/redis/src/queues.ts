import { Worker, type QueueOptions, type WorkerOptions } from 'bullmq';
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

/**
 * A BullMQ 'error' listener that sends connection errors to the service's logger, one line per
 * distinct message a minute. Without a listener BullMQ prints every failed reconnect with
 * console.error (a raw stack on stderr, several a second while Redis is down); the jobs
 * themselves wait for the reconnect, so a warning is what it is.
 */
export function queueErrorReporter(
  warn: (message: string) => void,
  now: () => number = Date.now,
): (error: Error) => void {
  const lastLogged = new Map<string, number>();
  return (error) => {
    const at = now();
    const previous = lastLogged.get(error.message);
    if (previous !== undefined && at - previous < 60_000) return;
    lastLogged.set(error.message, at);
    warn(`queue connection: ${error.message} (BullMQ retries)`);
  };
}

/** `queueErrorReporter` on a queue (a worker: `@OnWorkerEvent('error')`, so it is there from the start). */
export function reportQueueErrors(
  queue: { on(event: 'error', listener: (error: Error) => void): unknown },
  warn: (message: string) => void,
  now: () => number = Date.now,
): void {
  queue.on('error', queueErrorReporter(warn, now));
}

export interface WorkerLockSettings {
  readonly QUEUE_LOCK_DURATION_MS: number;
  readonly QUEUE_STALLED_INTERVAL_MS: number;
}

/**
 * A BullMQ Worker class whose workers take the service's lock timing (what a processor's own
 * options set still wins): give it to `BullModule.workerClass` before the app is created, since
 * @nestjs/bullmq builds workers from static decorator options only.
 */
export function workerClassWithLocks(settings: WorkerLockSettings): typeof Worker {
  return class LockTimedWorker extends Worker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      const [name, processor, opts, ...rest] = args;
      const timed: WorkerOptions = {
        lockDuration: settings.QUEUE_LOCK_DURATION_MS,
        stalledInterval: settings.QUEUE_STALLED_INTERVAL_MS,
        ...(opts as WorkerOptions),
      };
      super(name, processor, timed, ...rest);
    }
  };
}
