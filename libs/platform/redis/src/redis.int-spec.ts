import { Queue, Worker } from 'bullmq';
import { createTestRedisPrefix, deleteKeysWithPrefix, testInfrastructure } from '@sms/testing';
import { createRedis, hashTaggedPrefix, queueRootOptions, workerClassWithLocks } from './index';

const REDIS_URL = testInfrastructure().redisUrl;

describe('Redis and BullMQ connections (real Redis)', () => {
  const prefix = createTestRedisPrefix('redis-lib');
  const redis = createRedis({ url: REDIS_URL, name: 'redis-lib-test' });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('builds a cluster-safe hash-tagged prefix', () => {
    expect(hashTaggedPrefix('sms', 'interception')).toBe('{sms:interception}');
    expect(() => hashTaggedPrefix('sms', 'bad{name}')).toThrow(/braces/);
  });

  it('runs a BullMQ job under the prefix', async () => {
    const options = queueRootOptions(REDIS_URL, prefix);
    const queue = new Queue('ping', options);
    const done = new Promise<string>((resolve) => {
      const worker: Worker = new Worker(
        'ping',
        async (job) => {
          resolve(job.data.value as string);
          return 'ok';
        },
        { ...options, connection: options.connection },
      );
      worker.on('completed', () => void worker.close());
    });
    await queue.add('ping', { value: 'pong' }, { jobId: 'ping-1' });
    expect(await done).toBe('pong');
    expect(await redis.exists(`${prefix}:ping:meta`)).toBe(1);
    await queue.close();
  });

  it('gives a job held by a worker that died to another once the configured lock lapsed', async () => {
    const options = queueRootOptions(REDIS_URL, prefix);
    const LockTimed = workerClassWithLocks({
      QUEUE_LOCK_DURATION_MS: 1000,
      QUEUE_STALLED_INTERVAL_MS: 1000,
    });
    const queue = new Queue('held', options);
    let taken!: () => void;
    const takenByFirst = new Promise<void>((resolve) => (taken = resolve));
    // The first worker takes the job and never finishes it; then it goes without releasing it.
    const first = new LockTimed(
      'held',
      () => {
        taken();
        return new Promise<never>(() => undefined);
      },
      { connection: options.connection, prefix },
    );
    expect(first.opts).toEqual(
      expect.objectContaining({ lockDuration: 1000, stalledInterval: 1000 }),
    );
    await queue.add('held', {}, { jobId: 'held-1' });
    await takenByFirst;
    await first.close(true);
    const second = new LockTimed('held', () => Promise.resolve('done by the second'), {
      connection: options.connection,
      prefix,
      // A processor's own options still win.
      concurrency: 2,
    });
    expect(second.opts.concurrency).toBe(2);
    // With BullMQ's default 30 s lock this would outlast the test's timeout.
    const result = await new Promise<unknown>((resolve) =>
      second.on('completed', (job) => resolve(job.returnvalue)),
    );
    expect(result).toBe('done by the second');
    await second.close();
    await queue.close();
  }, 20_000);
});
