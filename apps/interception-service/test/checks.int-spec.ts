import { commonV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { waitFor } from '@sms/testing';
import {
  createTestStore,
  msOf,
  startTestApp,
  storedState,
  ts,
  UnsubscribeSource,
  uniquePhone,
  Verdict,
  Scope,
  type TestApp,
  type TestStore,
  liveIndexKey,
} from './interception-app';

const { SEND_FAILURE_CODE_BLACKLIST, SEND_FAILURE_CODE_OUT_OF_SERVICE, SEND_FAILURE_CODE_OTHER } =
  commonV1.SendFailureCode;

describe('Check and CheckBatch (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;
  let messages = 0;

  const fail = (
    accountId: string,
    phone: string,
    code: commonV1.SendFailureCode,
    at = Date.now(),
  ) =>
    service.client.recordFailure({
      accountId,
      phone,
      messageId: `check-msg-${++messages}`,
      code,
      detail: '',
      occurredAt: ts(at),
    });
  const verdict = async (accountId: string, phone: string) =>
    (await service.client.check({ accountId, phone })).verdict;

  beforeAll(async () => {
    store = await createTestStore('interception-checks');
    // OTHER (590) blocks for 2 s here: the boundary test needs a short, real interception.
    service = await startTestApp(store, { INTERCEPTION_DURATIONS: '590=2' });
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  it('answers from the Redis index once it is built', async () => {
    const phone = uniquePhone();
    await fail('acc-a', phone, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    expect(await store.redis.hget((await liveIndexKey(store, phone))!, 'g')).toContain('"i":');
    const response = await service.client.check({ accountId: 'acc-a', phone: phone.slice(1) });
    expect(response).toMatchObject({ phone, verdict: Verdict.VERDICT_GLOBAL_BLOCK });
    const metrics = await service.app
      .get<{ metrics(): Promise<string> }>((await import('@sms/platform-metrics')).METRICS_REGISTRY)
      .metrics();
    expect(metrics).toMatch(
      /interception_checks_total\{verdict="GLOBAL_BLOCK",answered_from="redis",service="interception-service"\} [1-9]/,
    );
  });

  it('blocks LOCAL entries for their account only and GLOBAL entries for everyone', async () => {
    const local = uniquePhone();
    const global = uniquePhone();
    await fail('acc-a', local, SEND_FAILURE_CODE_BLACKLIST);
    await fail('acc-a', global, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    expect(await verdict('acc-a', local)).toBe(Verdict.VERDICT_PARTIAL_BLOCK);
    expect(await verdict('acc-b', local)).toBe(Verdict.VERDICT_ALLOW);
    expect(await verdict('acc-a', global)).toBe(Verdict.VERDICT_GLOBAL_BLOCK);
    expect(await verdict('acc-b', global)).toBe(Verdict.VERDICT_GLOBAL_BLOCK);
  });

  it('reports an unsubscribe only to its account', async () => {
    const phone = uniquePhone();
    await service.client.addUnsubscribe({
      accountId: 'acc-a',
      phone,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_REPLY,
      replyId: 'reply-1',
      occurredAt: null as never,
    });
    const response = await service.client.check({ accountId: 'acc-a', phone });
    expect(response).toMatchObject({
      verdict: Verdict.VERDICT_UNSUBSCRIBE,
      unsubscribe: {
        accountId: 'acc-a',
        phone,
        source: 'UNSUBSCRIBE_SOURCE_REPLY',
        replyId: 'reply-1',
      },
    });
    expect(await verdict('acc-b', phone)).toBe(Verdict.VERDICT_ALLOW);
  });

  it('applies GLOBAL_BLOCK > PARTIAL_BLOCK > UNSUBSCRIBE > ALLOW, and a delete stops blocking at once', async () => {
    const phone = uniquePhone();
    const global = await fail('acc-b', phone, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    const local = await fail('acc-a', phone, SEND_FAILURE_CODE_BLACKLIST);
    await service.client.addUnsubscribe({
      accountId: 'acc-a',
      phone,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: null as never,
    });
    const first = await service.client.check({ accountId: 'acc-a', phone });
    expect(first).toMatchObject({
      verdict: Verdict.VERDICT_GLOBAL_BLOCK,
      entry: {
        entryId: global.entry!.entryId,
        scope: Scope.SCOPE_GLOBAL,
        state: 'ENTRY_STATE_ACTIVE',
      },
    });
    expect(msOf(first.entry!.expiresAt)).toBe(msOf(global.entry!.expiresAt));

    await service.client.deleteEntry({
      accountId: '',
      asOperator: true,
      entryId: global.entry!.entryId,
      actor: 'op',
    });
    expect(await service.client.check({ accountId: 'acc-a', phone })).toMatchObject({
      verdict: Verdict.VERDICT_PARTIAL_BLOCK,
      entry: { entryId: local.entry!.entryId },
    });
    await service.client.deleteEntry({
      accountId: 'acc-a',
      asOperator: false,
      entryId: local.entry!.entryId,
      actor: '',
    });
    expect(await verdict('acc-a', phone)).toBe(Verdict.VERDICT_UNSUBSCRIBE);
    await service.client.removeUnsubscribe({
      accountId: 'acc-a',
      phone,
      occurredAt: null as never,
    });
    expect(await verdict('acc-a', phone)).toBe(Verdict.VERDICT_ALLOW);
  });

  it('checks a batch in one call, in request order, with the same answers as single checks', async () => {
    const blocked = uniquePhone();
    const local = uniquePhone();
    const free = uniquePhone();
    await fail('acc-batch', blocked, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    await fail('acc-batch', local, SEND_FAILURE_CODE_BLACKLIST);
    const phones = [
      free,
      blocked,
      local,
      free,
      ...Array.from({ length: 996 }, () => uniquePhone()),
    ];
    const { results } = await service.client.checkBatch({ accountId: 'acc-batch', phones });
    expect(results).toHaveLength(1000);
    expect(results.slice(0, 4).map((r) => [r.phone, r.verdict])).toEqual([
      [free, Verdict.VERDICT_ALLOW],
      [blocked, Verdict.VERDICT_GLOBAL_BLOCK],
      [local, Verdict.VERDICT_PARTIAL_BLOCK],
      [free, Verdict.VERDICT_ALLOW],
    ]);
    expect(results[1]).toEqual(
      await service.client.check({ accountId: 'acc-batch', phone: blocked }),
    );
    expect(results.slice(4).every((r) => r.verdict === Verdict.VERDICT_ALLOW)).toBe(true);
    expect(await service.client.checkBatch({ accountId: 'acc-batch', phones: [] })).toEqual({
      results: [],
    });
  });

  it('answers a batch with the entry as it is now, not as it was memoised', async () => {
    const phone = uniquePhone();
    const batchOf = async () =>
      (await service.client.checkBatch({ accountId: 'acc-memo', phones: [phone] })).results[0];
    const first = await fail('acc-memo', phone, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    expect(await batchOf()).toEqual(await service.client.check({ accountId: 'acc-memo', phone }));
    expect((await batchOf()).entry?.entryId).toBe(first.entry!.entryId);
    await service.client.deleteEntry({
      accountId: '',
      asOperator: true,
      entryId: first.entry!.entryId,
      actor: 'op',
    });
    expect(await batchOf()).toMatchObject({ verdict: Verdict.VERDICT_ALLOW });
    const second = await fail('acc-memo', phone, SEND_FAILURE_CODE_BLACKLIST);
    const answer = await batchOf();
    expect(answer.entry?.entryId).toBe(second.entry!.entryId);
    expect(answer).toEqual(await service.client.check({ accountId: 'acc-memo', phone }));
  });

  it('answers a verdict-only batch with the same verdicts and no entry details', async () => {
    const blocked = uniquePhone();
    const free = uniquePhone();
    await fail('acc-verdicts', blocked, SEND_FAILURE_CODE_OUT_OF_SERVICE);
    const phones = [free, blocked];
    const full = await service.client.checkBatch({ accountId: 'acc-verdicts', phones });
    const { verdicts } = await service.client.checkBatchVerdicts({
      accountId: 'acc-verdicts',
      phones,
    });
    expect(full.results[1].entry?.phone).toBe(blocked);
    expect(verdicts).toEqual([
      { phone: free, verdict: Verdict.VERDICT_ALLOW },
      { phone: blocked, verdict: Verdict.VERDICT_GLOBAL_BLOCK },
    ]);
  });

  it('blocks until expiresAt and not a millisecond longer, then the entry is EXPIRED in PostgreSQL', async () => {
    const phone = uniquePhone();
    const recorded = await fail('acc-edge', phone, SEND_FAILURE_CODE_OTHER);
    const expiresAt = msOf(recorded.entry!.expiresAt)!;
    expect(expiresAt - msOf(recorded.entry!.interceptedAt)!).toBe(2000);

    // Poll until the number is allowed. Every answer received before expiresAt must block; every
    // check sent at or after expiresAt must allow (server time lies between the two).
    const observations: { sentAt: number; receivedAt: number; verdict: string }[] = [];
    await waitFor(
      async () => {
        const sentAt = Date.now();
        const v = await verdict('acc-edge', phone);
        observations.push({ sentAt, receivedAt: Date.now(), verdict: v });
        return observations.filter((o) => o.sentAt >= expiresAt).length >= 3;
      },
      { timeoutMs: 6000, intervalMs: 5, description: 'checks past the expiry' },
    );
    for (const o of observations) {
      if (o.receivedAt < expiresAt) expect(o.verdict).toBe(Verdict.VERDICT_PARTIAL_BLOCK);
      if (o.sentAt >= expiresAt) expect(o.verdict).toBe(Verdict.VERDICT_ALLOW);
    }
    expect(observations.some((o) => o.receivedAt < expiresAt)).toBe(true);

    const expired = await waitFor(
      async () => {
        const { rows } = await store.sql.query('select state from block_entry where id = $1', [
          recorded.entry!.entryId,
        ]);
        return rows[0].state === 'EXPIRED';
      },
      { timeoutMs: 3000, description: 'the entry to be EXPIRED in PostgreSQL' },
    );
    expect(expired).toBe(true);
  });

  describe('refuses bad input with INVALID_ARGUMENT and changes nothing', () => {
    it.each([
      [
        'an invalid phone',
        () => service.client.check({ accountId: 'acc-a', phone: '+1 555' }),
        /phone "\+1 555"/,
      ],
      [
        'letters in a phone',
        () => service.client.check({ accountId: 'acc-a', phone: 'call me' }),
        /may contain only digits/,
      ],
      [
        'an empty account',
        () => service.client.check({ accountId: '', phone: '+447912345601' }),
        /account_id is required/,
      ],
      [
        'a batch over 1,000 numbers',
        () =>
          service.client.checkBatch({
            accountId: 'acc-a',
            phones: Array.from({ length: 1001 }, () => '+447912345601'),
          }),
        /phones has 1001 numbers; at most 1000/,
      ],
      [
        'one invalid number in a batch',
        () => service.client.checkBatch({ accountId: 'acc-a', phones: ['+447912345601', '999'] }),
        /phones\[1\] "999"/,
      ],
      [
        'a verdicts batch over 1,000 numbers',
        () =>
          service.client.checkBatchVerdicts({
            accountId: 'acc-a',
            phones: Array.from({ length: 1001 }, () => '+447912345601'),
          }),
        /phones has 1001 numbers; at most 1000/,
      ],
      [
        'one invalid number in a verdicts batch',
        () =>
          service.client.checkBatchVerdicts({ accountId: 'acc-a', phones: ['+447912345601', 'x'] }),
        /phones\[1\] "x"/,
      ],
      [
        'a batch without account',
        () => service.client.checkBatch({ accountId: ' ', phones: ['+447912345601'] }),
        /account_id is required/,
      ],
    ])('%s', async (_, call, message) => {
      const before = await storedState(store);
      await expect(call()).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(message),
      });
      expect(await storedState(store)).toEqual(before);
    });
  });
});
