import { Queue, Worker } from 'bullmq';
import { createTestRedisPrefix, deleteKeysWithPrefix, testInfrastructure } from '@sms/testing';
import { createRedis, hashTaggedPrefix, queueRootOptions } from './index';

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
});
