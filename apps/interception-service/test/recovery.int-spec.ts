import { commonV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { freePort, waitFor } from '@sms/testing';
import { ExpiryScheduler } from '../src/expiry/expiry-scheduler';
import { BlockIndex } from '../src/hot-index/block-index';
import {
  createTestStore,
  Scope,
  startTestApp,
  UnsubscribeSource,
  uniquePhone,
  Verdict,
  type TestApp,
  type TestStore,
} from './interception-app';
import { TcpProxy } from './tcp-proxy';

// FLUSHDB empties a whole Redis database: this file uses database 11 so no one else's keys
// (other test files use database 0) are lost.
const FLUSHED_REDIS_URL = 'redis://127.0.0.1:6379/11';

describe('recovery when Redis or PostgreSQL fail (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;
  const global = uniquePhone();
  const local = uniquePhone();
  const unsubscribed = uniquePhone();
  const free = uniquePhone();
  let expiringEntryId = '';

  const expectVerdicts = async (client: TestApp['client']) => {
    expect((await client.check({ accountId: 'acc-r', phone: global })).verdict).toBe(
      Verdict.VERDICT_GLOBAL_BLOCK,
    );
    expect((await client.check({ accountId: 'acc-r', phone: local })).verdict).toBe(
      Verdict.VERDICT_PARTIAL_BLOCK,
    );
    expect((await client.check({ accountId: 'acc-other', phone: local })).verdict).toBe(
      Verdict.VERDICT_ALLOW,
    );
    expect((await client.check({ accountId: 'acc-r', phone: unsubscribed })).verdict).toBe(
      Verdict.VERDICT_UNSUBSCRIBE,
    );
    const { results } = await client.checkBatch({
      accountId: 'acc-r',
      phones: [free, global, local, unsubscribed],
    });
    expect(results.map((r) => r.verdict)).toEqual([
      Verdict.VERDICT_ALLOW,
      Verdict.VERDICT_GLOBAL_BLOCK,
      Verdict.VERDICT_PARTIAL_BLOCK,
      Verdict.VERDICT_UNSUBSCRIBE,
    ]);
  };

  beforeAll(async () => {
    store = await createTestStore('interception-recovery', FLUSHED_REDIS_URL);
    service = await startTestApp(store);
    const c = service.client;
    await c.recordFailure({
      accountId: 'acc-r',
      phone: global,
      messageId: 'rec-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
      detail: '',
      occurredAt: null as never,
    });
    const localEntry = await c.recordFailure({
      accountId: 'acc-r',
      phone: local,
      messageId: 'rec-2',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_INTERCEPTION,
      detail: '',
      occurredAt: null as never,
    });
    expiringEntryId = localEntry.entry!.entryId;
    await c.addUnsubscribe({
      accountId: 'acc-r',
      phone: unsubscribed,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: null as never,
    });
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  it('answers correctly after FLUSHDB, and the rebuilder restores the index under a new generation and the jobs', async () => {
    const scheduler = service.app.get(ExpiryScheduler);
    expect(await scheduler.isScheduled(expiringEntryId, 1)).toBe(true);
    const before = await store.redis.get(`${store.keyPrefix}:ix-gen`);
    expect(before).not.toBeNull();
    await store.redis.flushdb();

    // Straight away: the index is gone (no live generation), answers come from PostgreSQL.
    await expectVerdicts(service.client);

    const generation = await waitFor(
      async () => {
        const live = await store.redis.get(`${store.keyPrefix}:ix-gen`);
        return live !== null && live !== before ? live : undefined;
      },
      { description: 'a new live index generation after the rebuild' },
    );
    const key = (phone: string) => `${store.keyPrefix}:ix:${generation}:${phone}`;
    expect(await store.redis.hget(key(global), 'g')).toContain('"i":');
    expect(await store.redis.hget(key(local), 'l:acc-r')).toContain(expiringEntryId);
    expect(await store.redis.hget(key(unsubscribed), 'u:acc-r')).toContain('"s":');
    const { rows } = await store.sql.query('select generation from index_state');
    expect(String(rows[0].generation)).toBe(generation);
    expect(await scheduler.isScheduled(expiringEntryId, 1)).toBe(true);
    await expectVerdicts(service.client);
  });

  it('does not let a build go live once its lock is gone (Redis emptied during the rebuild)', async () => {
    const index = service.app.get(BlockIndex);
    await waitFor(() => index.tryLock('test-rebuild', 5000), { description: 'the rebuild lock' });
    expect(await index.beginBuild('test-rebuild', '999999')).toBe(true);
    // FLUSHDB in the middle of a rebuild removes its lock too.
    await store.redis.del(`${store.keyPrefix}:reconcile-lock`);
    expect(await index.goLive('test-rebuild', '999999')).toBe(false);
    expect(await index.extendLock('test-rebuild', 5000)).toBe(false);
    expect(await store.redis.get(`${store.keyPrefix}:ix-gen`)).not.toBe('999999');
    await store.redis.del(`${store.keyPrefix}:ix-building`);
  });

  it('answers from PostgreSQL when Redis is unreachable, and UNAVAILABLE when PostgreSQL is too', async () => {
    const proxy = await TcpProxy.start(5432);
    const databaseUrl = new URL(store.schema.databaseUrl);
    databaseUrl.port = String(proxy.port);
    const degraded = await startTestApp(
      { ...store, redisUrl: `redis://127.0.0.1:${await freePort()}/0` },
      { DATABASE_URL: databaseUrl.toString(), CHECK_DATABASE_TIMEOUT_MS: '1000' },
    );
    try {
      await expectVerdicts(degraded.client);
      // A manual entry written while Redis is down blocks at once (from PostgreSQL).
      const phone = uniquePhone();
      await degraded.client.addEntry({
        accountId: 'acc-r',
        asOperator: false,
        phone,
        scope: Scope.SCOPE_LOCAL,
        reason: '',
        expiresAt: null as never,
        actor: '',
      });
      expect((await degraded.client.check({ accountId: 'acc-r', phone })).verdict).toBe(
        Verdict.VERDICT_PARTIAL_BLOCK,
      );

      await proxy.cut();
      for (const call of [
        () => degraded.client.check({ accountId: 'acc-r', phone: free }),
        () => degraded.client.checkBatch({ accountId: 'acc-r', phones: [free, global] }),
      ]) {
        await expect(call()).rejects.toMatchObject({
          code: GrpcStatus.UNAVAILABLE,
          details: expect.stringMatching(/block list is unavailable/),
        });
      }
    } finally {
      await proxy.cut();
      await degraded.close();
    }
  });
});
