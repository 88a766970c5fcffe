import { Queue, Worker } from 'bullmq';
import { freePort, waitFor } from '@sms/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRedis, queueRootOptions } from './index';

// A Redis with `requirepass`, as docker-compose runs it: every client of ours (the shared ioredis
// connection, BullMQ queues and workers) authenticates with the password from REDIS_URL.

const PASSWORD = 'p@ss/wörd:42';

describe('Redis with requirepass (a real redis-server)', () => {
  let server: ChildProcess;
  let url: string;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    // CONFIG SET, so the password is not on the server's command line.
    const bootstrap = createRedis({ url: `redis://127.0.0.1:${port}/0`, name: 'auth-setup' });
    await waitFor(async () => (await bootstrap.ping().catch(() => null)) === 'PONG', {
      timeoutMs: 10_000,
      description: 'redis-server to start',
    });
    await bootstrap.config('SET', 'requirepass', PASSWORD);
    bootstrap.disconnect();
    url = `redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/0`;
  });

  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('the shared connection authenticates with the password of the URL', async () => {
    const redis = createRedis({ url, name: 'auth-test' });
    try {
      expect(await redis.set('k', 'v')).toBe('OK');
      expect(await redis.get('k')).toBe('v');
    } finally {
      await redis.quit();
    }
  });

  it('refuses a client without the password', async () => {
    const redis = createRedis({
      url: `redis://127.0.0.1:${port}/0`,
      name: 'no-auth',
      extra: { retryStrategy: () => null },
    });
    redis.on('error', () => undefined);
    try {
      await expect(redis.get('k')).rejects.toThrow(/NOAUTH|Authentication required/);
    } finally {
      redis.disconnect();
    }
  });

  it('BullMQ queues and workers authenticate with it', async () => {
    const options = queueRootOptions(url, '{auth-test}');
    const queue = new Queue('ping', options);
    let worker: Worker | undefined;
    try {
      const done = new Promise<string>((resolve) => {
        worker = new Worker(
          'ping',
          (job) => {
            resolve(job.data.value as string);
            return Promise.resolve('ok');
          },
          { ...options, connection: options.connection },
        );
      });
      await queue.add('ping', { value: 'pong' }, { jobId: 'ping-1' });
      expect(await done).toBe('pong');
    } finally {
      // Closed before the server goes away, or their reconnect loops keep jest alive.
      await worker?.close();
      await queue.close();
    }
  });
});
