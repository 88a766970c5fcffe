import { GRPC_SERVICES, commonV1, interceptionV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { queueRootOptions } from '@sms/platform-redis';
import {
  freePort,
  grpcHealthStatus,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
} from '@sms/testing';
import { Queue } from 'bullmq';
import { EXPIRY_QUEUE, expiryJobId } from '../src/expiry/expiry-scheduler';
import { createTestStore, msOf, uniquePhone, type TestStore } from './interception-app';

const MAIN = 'apps/interception-service/src/main.ts';

describe('expiry jobs survive a restart of the service process (real processes)', () => {
  let store: TestStore;
  let env: Record<string, string>;
  let running: ServiceProcess | undefined;
  let target: string;

  const start = async () => {
    const process = startServiceProcess(MAIN, env);
    running = process;
    await waitFor(
      async () =>
        (await grpcHealthStatus(target, 'sms.interception.v1.InterceptionService')) === 'SERVING',
      { timeoutMs: 30_000, intervalMs: 100, description: 'the service to serve' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${process.output()}`);
    });
    return process;
  };

  beforeAll(async () => {
    store = await createTestStore('interception-restart');
    const grpcPort = await freePort();
    target = `127.0.0.1:${grpcPort}`;
    env = {
      DATABASE_URL: store.schema.databaseUrl,
      DATABASE_SCHEMA: store.schema.schema,
      REDIS_URL: store.redisUrl,
      REDIS_PREFIX: store.redisPrefix,
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      // OTHER blocks for 6 s; the sweep is far away, so only the delayed job can expire it.
      INTERCEPTION_DURATIONS: '590=6',
      EXPIRY_SWEEP_INTERVAL_MS: '3600000',
    };
  });

  afterAll(async () => {
    await running?.stop('SIGKILL');
    await store?.drop();
  });

  it('fires a job that was pending while the process was down, not before its time', async () => {
    await start();
    const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      // RecordFailure, as the sending service reports it.
      { target, deadlineMs: 5000, callerToken: DEVELOPMENT_GRPC_TOKENS.sender },
    );
    const phone = uniquePhone();
    const { entry } = await client.recordFailure({
      accountId: 'acc-restart',
      phone,
      messageId: 'restart-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_OTHER,
      detail: '',
      occurredAt: null as never,
    });
    client.close();
    const expiresAt = msOf(entry!.expiresAt)!;
    expect(await running!.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // While no process runs, the job waits in Redis and the entry stays ACTIVE.
    const queue = new Queue(EXPIRY_QUEUE, queueRootOptions(store.redisUrl, store.keyPrefix));
    try {
      const job = await queue.getJob(expiryJobId(entry!.entryId, 1));
      expect(await job?.getState()).toBe('delayed');
    } finally {
      await queue.close();
    }
    const stateOf = async () =>
      (
        await store.sql.query('select state, updated_at from block_entry where id = $1', [
          entry!.entryId,
        ])
      ).rows[0] as { state: string; updated_at: Date };
    expect((await stateOf()).state).toBe('ACTIVE');

    await start();
    const expired = await waitFor(
      async () => {
        const row = await stateOf();
        return row.state === 'EXPIRED' ? row : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'the entry to expire' },
    );
    expect(expired.updated_at.getTime()).toBeGreaterThanOrEqual(expiresAt);
    expect(await running!.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    // Two process starts: each takes 10-16 s on a loaded 2-core machine.
  }, 90_000);
});
