// interception-service on a real 3-master Redis Cluster (REDIS_CLUSTER_NODES): the block index
// (Lua scripts over a batch of keys), Check / CheckBatch, the expiry jobs (BullMQ) and the
// index rebuild after the master holding the service's slot restarts empty.
import { withDeadline } from '@sms/platform-deadline';
import { commonV1 } from '@sms/contracts';
import { runMigrations } from '@sms/platform-database';
import { METRICS_REGISTRY } from '@sms/platform-metrics';
import { createRedisClient, type RedisClient } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  startRedisCluster,
  waitFor,
  type RedisClusterUnderTest,
  type TestSchema,
} from '@sms/testing';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { ormSettings } from '../src/database';
import {
  msOf,
  startTestApp,
  ts,
  uniquePhone,
  UnsubscribeSource,
  Verdict,
  type TestApp,
} from './interception-app';

const { SEND_FAILURE_CODE_BLACKLIST, SEND_FAILURE_CODE_OUT_OF_SERVICE, SEND_FAILURE_CODE_OTHER } =
  commonV1.SendFailureCode;

describe('interception-service on a Redis Cluster (3 real masters)', () => {
  let cluster: RedisClusterUnderTest;
  let schema: TestSchema;
  let sql: Client;
  let redis: RedisClient;
  let service: TestApp;
  const redisPrefix = createTestRedisPrefix('interception-cluster').replace(/[{}]/g, '');
  const keyPrefix = `{${redisPrefix}:interception}`;
  let messages = 0;

  const fail = (accountId: string, phone: string, code: commonV1.SendFailureCode) =>
    service.client.recordFailure({
      accountId,
      phone,
      messageId: `cluster-msg-${++messages}`,
      code,
      detail: '',
      occurredAt: ts(Date.now()),
    });
  const verdict = async (accountId: string, phone: string) =>
    (await service.client.check({ accountId, phone })).verdict;
  const answeredFromRedis = async (): Promise<number> => {
    const text = await service.app.get<{ metrics(): Promise<string> }>(METRICS_REGISTRY).metrics();
    return [...text.matchAll(/interception_checks_total\{[^}]*answered_from="redis"[^}]*\} (\d+)/g)]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
  };
  const stateOf = async (entryId: string) =>
    (
      await sql.query('select state, expires_at, updated_at from block_entry where id = $1', [
        entryId,
      ])
    ).rows[0] as { state: string; expires_at: Date; updated_at: Date };

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    schema = await createTestSchema('interception-cluster');
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
    sql = new Client({
      connectionString: schema.databaseUrl,
      options: `-c search_path=${schema.schema}`,
    });
    await sql.connect();
    const redisUrl = `redis://127.0.0.1:${cluster.nodes[0].port}/0`;
    redis = createRedisClient({ url: redisUrl, clusterNodes: cluster.nodes, name: 'cluster-test' });
    service = await startTestApp(
      { schema, redisPrefix, redisUrl },
      // OTHER (590) blocks for 3 s: expiry is observed within the test. The sweep, the fallback
      // for a delayed job that never ran, every 5 s: the restart test relies on one or the other.
      {
        REDIS_CLUSTER_NODES: cluster.nodesSetting,
        INTERCEPTION_DURATIONS: '590=3',
        EXPIRY_SWEEP_INTERVAL_MS: '5000',
      },
    );
  }, 90_000);

  afterAll(async () => {
    // Bounded: a BullMQ worker whose blocking connection went down with a restarted master can
    // take long to close, and the cluster and the schema must go whatever happens.
    await withDeadline(service?.close() ?? Promise.resolve(), 15_000, 'closing the service').catch(
      (error: unknown) => console.warn(String(error)),
    );
    await redis?.quit().catch(() => redis.disconnect());
    await cluster?.stop();
    await sql?.end();
    await schema?.drop();
  });

  it('keeps every key of the service in one slot, on one master', async () => {
    await fail('acc-a', uniquePhone(), SEND_FAILURE_CODE_OUT_OF_SERVICE);
    const owner = await cluster.ownerOf(keyPrefix);
    const keysOn = async (port: number): Promise<string[]> => {
      const direct = new Redis(port, '127.0.0.1');
      try {
        return await direct.keys(`${keyPrefix}*`);
      } finally {
        direct.disconnect();
      }
    };
    // The index hashes, its generation and the expiry queue, all on the master of the slot.
    const keys = await waitFor(
      async () => {
        const found = await keysOn(owner.port);
        return found.some((k) => k.includes(':ix:')) ? found : undefined;
      },
      { description: 'the index hash on the master of the slot' },
    );
    expect(keys).toContain(`${keyPrefix}:ix-gen`);
    expect(keys.some((k) => k.includes(':interception-expiry:'))).toBe(true);
    for (const other of cluster.servers.filter((s) => s !== owner)) {
      expect(await keysOn(other.port)).toEqual([]);
    }
  });

  it('answers Check and CheckBatch from the index on the cluster', async () => {
    const global = uniquePhone();
    const local = uniquePhone();
    const unsubscribed = uniquePhone();
    const clean = uniquePhone();
    await fail('acc-a', global, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    await fail('acc-a', local, SEND_FAILURE_CODE_BLACKLIST);
    await service.client.addUnsubscribe({
      accountId: 'acc-a',
      phone: unsubscribed,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: null as never,
    });
    const before = await answeredFromRedis();
    expect(await verdict('acc-a', global)).toBe(Verdict.VERDICT_GLOBAL_BLOCK);
    expect(await verdict('acc-b', local)).toBe(Verdict.VERDICT_ALLOW);
    const { results } = await service.client.checkBatch({
      accountId: 'acc-a',
      phones: [global, local, unsubscribed, clean],
    });
    expect(results.map((r) => r.verdict)).toEqual([
      Verdict.VERDICT_GLOBAL_BLOCK,
      Verdict.VERDICT_PARTIAL_BLOCK,
      Verdict.VERDICT_UNSUBSCRIBE,
      Verdict.VERDICT_ALLOW,
    ]);
    expect((await answeredFromRedis()) - before).toBe(6);
  });

  it('admits a batch whose numbers spread over every master, in order per number', async () => {
    // Each number's frequency keys hash to a slot of their own (a limiter call per message).
    const phones = Array.from({ length: 30 }, () => uniquePhone());
    const messages = [...phones, ...phones].map((phone) => ({
      phone,
      templateId: 'tpl-cluster',
      templateType: commonV1.TemplateType.TEMPLATE_TYPE_NOTIFICATION,
      templateText: '',
      variables: {},
      content: 'Your parcel arrives tomorrow',
      labels: [],
    }));
    const { results } = await service.client.admitBatch({ accountId: 'acc-freq', messages });
    // The default allows one message of a template per number a minute: the first of each.
    expect(results.slice(0, 30).map((r) => r.reason)).toEqual(
      phones.map(() => commonV1.ProcessFailedReason.PROCESS_FAILED_REASON_UNSPECIFIED),
    );
    expect(results.slice(30).map((r) => r.frequency?.scope)).toEqual(phones.map(() => 'TEMPLATE'));
    const mastersHolding = new Set<number>();
    for (const server of cluster.servers) {
      const direct = new Redis(server.port, '127.0.0.1');
      try {
        if ((await direct.keys(`${redisPrefix}:admission:*`)).length > 0)
          mastersHolding.add(server.port);
      } finally {
        direct.disconnect();
      }
    }
    expect(mastersHolding.size).toBe(cluster.servers.length);
  });

  it('expires an entry through its delayed job on time, once', async () => {
    const phone = uniquePhone();
    const { entry } = await fail('acc-a', phone, SEND_FAILURE_CODE_OTHER);
    const expiresAt = msOf(entry!.expiresAt)!;
    expect(await verdict('acc-a', phone)).toBe(Verdict.VERDICT_PARTIAL_BLOCK);
    const expired = await waitFor(
      async () => {
        const row = await stateOf(entry!.entryId);
        return row.state === 'EXPIRED' ? row : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: 'the entry to expire' },
    );
    expect(expired.updated_at.getTime()).toBeGreaterThanOrEqual(expiresAt);
    // The delayed job, not the 30 s sweep: within 2 s of its time on a loaded machine.
    expect(expired.updated_at.getTime() - expiresAt).toBeLessThan(2_000);
    expect(await verdict('acc-a', phone)).toBe(Verdict.VERDICT_ALLOW);
  }, 30_000);

  it('rebuilds the index and re-schedules expiry when the master of its slot restarts empty', async () => {
    const blocked = uniquePhone();
    const expiring = uniquePhone();
    await fail('acc-a', blocked, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    const { entry } = await fail('acc-a', expiring, SEND_FAILURE_CODE_OTHER);
    const expiresAt = msOf(entry!.expiresAt)!;
    const generationBefore = await redis.get(`${keyPrefix}:ix-gen`);
    expect(generationBefore).not.toBeNull();

    const owner = await cluster.ownerOf(keyPrefix);
    await cluster.restart(owner);
    // The restarted master is empty: no index, no expiry job. The service sees another run id
    // on its slot's master, rebuilds from PostgreSQL and schedules the pending expiry again (the
    // sweep expires it too if the worker's blocking connection is still recovering).
    const generationAfter = await waitFor(
      async () => {
        const generation = await redis.get(`${keyPrefix}:ix-gen`);
        return generation !== null && generation !== generationBefore ? generation : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'a rebuilt index generation' },
    );
    expect(generationAfter).not.toBe(generationBefore);
    // Trusted again: a check is answered from the rebuilt index, not from PostgreSQL.
    await waitFor(
      async () => {
        const before = await answeredFromRedis();
        const answer = await verdict('acc-b', blocked);
        return answer === Verdict.VERDICT_GLOBAL_BLOCK && (await answeredFromRedis()) > before;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'checks answered from the index again' },
    );

    const expired = await waitFor(
      async () => {
        const row = await stateOf(entry!.entryId);
        return row.state === 'EXPIRED' ? row : undefined;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 50,
        description: 'the pending entry to expire after the restart',
      },
    );
    expect(expired.updated_at.getTime()).toBeGreaterThanOrEqual(expiresAt);
    expect(await verdict('acc-a', expiring)).toBe(Verdict.VERDICT_ALLOW);
  }, 60_000);
});
