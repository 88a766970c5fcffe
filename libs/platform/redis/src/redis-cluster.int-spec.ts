import { Queue, Worker } from 'bullmq';
import { startRedisCluster, waitFor, type RedisClusterUnderTest } from '@sms/testing';
import { Cluster, Redis } from 'ioredis';
import {
  createRedisClient,
  hashTaggedPrefix,
  queueRootOptions,
  scanKeys,
  serverInfoFor,
  type RedisClient,
} from './index';

// A real 3-master Redis Cluster: what the services do with REDIS_CLUSTER_NODES set.

describe('Redis Cluster mode (a real 3-master cluster)', () => {
  let cluster: RedisClusterUnderTest;
  let redis: RedisClient;
  const prefix = hashTaggedPrefix('cluster-test', 'lib');

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    redis = createRedisClient({
      url: 'redis://127.0.0.1:6379/0',
      clusterNodes: cluster.nodes,
      name: 'cluster-lib-test',
    });
  }, 60_000);

  afterAll(async () => {
    await redis?.quit().catch(() => redis.disconnect());
    await cluster?.stop();
  });

  it('creates a cluster client for REDIS_CLUSTER_NODES and refuses a database other than 0', () => {
    expect(redis).toBeInstanceOf(Cluster);
    expect(() =>
      createRedisClient({
        url: 'redis://127.0.0.1:6379/3',
        clusterNodes: cluster.nodes,
        name: 'bad',
      }),
    ).toThrow(/REDIS_URL must name database 0 \(or none\) with REDIS_CLUSTER_NODES.*not 3/);
  });

  it('runs multi-key commands and scripts under one hash tag, and the cluster refuses them without', async () => {
    const keys = [`${prefix}:a`, `${prefix}:b`, `${prefix}:c`];
    await redis.mset(keys[0], '1', keys[1], '2', keys[2], '3');
    expect(await redis.mget(...keys)).toEqual(['1', '2', '3']);
    expect(
      await redis.eval(
        "return redis.call('GET', KEYS[1]) .. redis.call('GET', KEYS[2])",
        2,
        keys[0],
        keys[1],
      ),
    ).toBe('12');
    // Without the tag the keys spread over the masters: what the tag prevents.
    await expect(
      redis.mget('untagged-a', 'untagged-b', 'untagged-c', 'untagged-d'),
    ).rejects.toThrow(/CROSSSLOT|keys in a pipeline command should belong to the same slot/);
  });

  it('finds keys on every master (SCAN reads one node)', async () => {
    const spread = Array.from({ length: 30 }, (_, i) => `scan-test:${i}`);
    for (const key of spread) await redis.set(key, 'x');
    const owners = new Set(
      await Promise.all(spread.map(async (k) => (await cluster.ownerOf(k)).port)),
    );
    expect(owners.size).toBe(3);
    expect((await scanKeys(redis, 'scan-test:*')).sort()).toEqual([...spread].sort());
  });

  it('reports the run id of the master serving a key, which changes when that master restarts', async () => {
    const key = `${prefix}:ix-gen`;
    const owner = await cluster.ownerOf(key);
    const runId = (text: string) => /run_id:(\w+)/.exec(text)?.[1];
    const before = runId(await serverInfoFor(redis, key));
    const direct = new Redis(owner.port, '127.0.0.1');
    const ownInfo = await direct.info('server').finally(() => direct.disconnect());
    expect(before).toBe(runId(ownInfo));
    await cluster.restart(owner);
    const after = await waitFor(async () => runId(await serverInfoFor(redis, key)), {
      timeoutMs: 20_000,
      description: 'the restarted master to answer',
    });
    expect(after).not.toBe(before);
  }, 60_000);

  it('runs BullMQ queues and workers (delayed and repeatable jobs) under the hash-tagged prefix', async () => {
    const options = queueRootOptions(
      { url: 'redis://127.0.0.1:6379/0', clusterNodes: cluster.nodes },
      hashTaggedPrefix('cluster-test', 'queues'),
    );
    expect(options.connection).toBeInstanceOf(Cluster);
    const queue = new Queue('work', options);
    const seen: string[] = [];
    let worker: Worker | undefined;
    try {
      worker = new Worker(
        'work',
        (job) => {
          seen.push(job.name);
          return Promise.resolve();
        },
        options,
      );
      await queue.add('now', {}, { jobId: 'now-1' });
      const delayedAt = Date.now();
      await queue.add('later', {}, { jobId: 'later-1', delay: 500 });
      await queue.upsertJobScheduler('sweep', { every: 200 }, { name: 'sweep' });
      await waitFor(
        () =>
          seen.includes('now') &&
          seen.includes('later') &&
          seen.filter((n) => n === 'sweep').length >= 2,
        {
          timeoutMs: 15_000,
          description: 'the immediate, delayed and repeatable jobs to run',
        },
      );
      expect(Date.now() - delayedAt).toBeGreaterThanOrEqual(500);
      expect(seen.filter((n) => n === 'now')).toHaveLength(1);
      expect(seen.filter((n) => n === 'later')).toHaveLength(1);
    } finally {
      await worker?.close();
      await queue.close();
      (options.connection as Cluster).disconnect();
    }
  }, 30_000);
});
