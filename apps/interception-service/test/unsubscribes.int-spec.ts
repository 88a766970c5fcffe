import { GrpcStatus } from '@sms/platform-grpc';
import {
  createTestStore,
  liveIndexKey,
  msOf,
  startTestApp,
  storedState,
  ts,
  UnsubscribeSource,
  uniquePhone,
  Verdict,
  type TestApp,
  type TestStore,
} from './interception-app';

describe('unsubscribe list (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;

  const add = (accountId: string, phone: string, at?: number, replyId = 'reply-1') =>
    service.client.addUnsubscribe({
      accountId,
      phone,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_REPLY,
      replyId,
      occurredAt: (at === undefined ? null : ts(at)) as never,
    });
  const remove = (accountId: string, phone: string, at?: number) =>
    service.client.removeUnsubscribe({
      accountId,
      phone,
      occurredAt: (at === undefined ? null : ts(at)) as never,
    });

  beforeAll(async () => {
    store = await createTestStore('interception-unsubscribes');
    service = await startTestApp(store);
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  it('re-applies the index on a retry that changes nothing (a first try whose index write was lost)', async () => {
    const phone = uniquePhone();
    await add('acc-u', phone);
    const key = (await liveIndexKey(store, phone))!;
    expect(await store.redis.hget(key, 'u:acc-u')).toContain('"s":');
    await store.redis.hdel(key, 'u:acc-u');
    expect((await add('acc-u', phone)).created).toBe(false);
    expect(await store.redis.hget(key, 'u:acc-u')).toContain('"s":');

    expect((await remove('acc-u', phone)).removed).toBe(true);
    const tombstone = await store.redis.hget(key, 'u:acc-u');
    await store.redis.hset(key, 'u:acc-u', '{"r":1,"s":1,"src":"A"}');
    expect((await remove('acc-u', phone)).removed).toBe(false);
    expect(await store.redis.hget(key, 'u:acc-u')).toBe(tombstone);
  });

  it('adds idempotently and keeps the first time and source', async () => {
    const phone = uniquePhone();
    const at = Date.now() - 10_000;
    const first = await add('acc-u', phone, at);
    expect(first.created).toBe(true);
    expect(first.unsubscribe).toMatchObject({
      accountId: 'acc-u',
      phone,
      source: 'UNSUBSCRIBE_SOURCE_REPLY',
      replyId: 'reply-1',
    });
    expect(msOf(first.unsubscribe!.since)).toBe(at);
    const before = await storedState(store);
    const second = await add('acc-u', phone, at + 5000, 'reply-2');
    expect(second).toEqual({ created: false, unsubscribe: first.unsubscribe });
    expect(await storedState(store)).toEqual(before);
  });

  it('orders unsubscribe and resubscribe by when the recipient asked', async () => {
    const phone = uniquePhone();
    const t = Date.now() - 60_000;
    await add('acc-u', phone, t);
    // A resubscribe older than the unsubscribe leaves it.
    expect(await remove('acc-u', phone, t - 1000)).toEqual({ removed: false });
    expect((await service.client.check({ accountId: 'acc-u', phone })).verdict).toBe(
      Verdict.VERDICT_UNSUBSCRIBE,
    );
    expect(await remove('acc-u', phone, t + 1000)).toEqual({ removed: true });
    expect((await service.client.check({ accountId: 'acc-u', phone })).verdict).toBe(
      Verdict.VERDICT_ALLOW,
    );
    expect(await remove('acc-u', phone, t + 2000)).toEqual({ removed: false });
    // An unsubscribe delivered late, older than the resubscribe, changes nothing.
    expect(await add('acc-u', phone, t + 500)).toEqual({ created: false, unsubscribe: null });
    expect((await service.client.check({ accountId: 'acc-u', phone })).verdict).toBe(
      Verdict.VERDICT_ALLOW,
    );
    // A newer one unsubscribes again.
    expect((await add('acc-u', phone, t + 3000)).created).toBe(true);
    expect((await service.client.check({ accountId: 'acc-u', phone })).verdict).toBe(
      Verdict.VERDICT_UNSUBSCRIBE,
    );
  });

  it("lists an account's active unsubscribes newest first, in signed pages", async () => {
    const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
    const base = Date.now() - 30_000;
    for (const [i, phone] of phones.entries()) {
      await service.client.addUnsubscribe({
        accountId: 'acc-list',
        phone,
        source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
        replyId: '',
        occurredAt: ts(base + i * 1000),
      });
    }
    await remove('acc-list', phones[1]);
    const first = await service.client.listUnsubscribes({
      accountId: 'acc-list',
      phone: '',
      pageSize: 1,
      pageToken: '',
    });
    expect(first.unsubscribes.map((u) => u.phone)).toEqual([phones[2]]);
    const second = await service.client.listUnsubscribes({
      accountId: 'acc-list',
      phone: '',
      pageSize: 1,
      pageToken: first.nextPageToken,
    });
    expect(second.unsubscribes.map((u) => u.phone)).toEqual([phones[0]]);
    expect(second.nextPageToken).toBe('');
    await expect(
      service.client.listUnsubscribes({
        accountId: 'acc-other',
        phone: '',
        pageSize: 1,
        pageToken: first.nextPageToken,
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(/page_token/),
    });
    const byPhone = await service.client.listUnsubscribes({
      accountId: 'acc-list',
      phone: phones[0],
      pageSize: 0,
      pageToken: '',
    });
    expect(byPhone.unsubscribes).toHaveLength(1);
  });

  it.each([
    ['an invalid phone', { phone: 'x1' }, /phone "x1"/],
    ['a missing account', { accountId: '' }, /account_id is required/],
    [
      'an unspecified source',
      { source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_UNSPECIFIED },
      /source must be REPLY or API/,
    ],
    ['REPLY without reply id', { replyId: '' }, /reply_id is required/],
    [
      'API with a reply id',
      { source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API },
      /reply_id is only for source REPLY/,
    ],
  ])('refuses %s with INVALID_ARGUMENT and stores nothing', async (_, change, message) => {
    const before = await storedState(store);
    await expect(
      service.client.addUnsubscribe({
        accountId: 'acc-u',
        phone: uniquePhone(),
        source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_REPLY,
        replyId: 'reply-9',
        occurredAt: null as never,
        ...change,
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(message),
    });
    await expect(remove('', uniquePhone())).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
    expect(await storedState(store)).toEqual(before);
  });
});
