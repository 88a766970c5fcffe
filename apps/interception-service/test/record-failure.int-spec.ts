import { commonV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { waitFor } from '@sms/testing';
import { ExpiryScheduler } from '../src/expiry/expiry-scheduler';
import {
  createTestStore,
  EntryState,
  FailureOutcome,
  msOf,
  Scope,
  startTestApp,
  storedState,
  ts,
  uniquePhone,
  Verdict,
  type TestApp,
  type TestStore,
  liveIndexKey,
} from './interception-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// SPEC 2.1: scope and interception time of every send-failure code.
const CODE_TABLE: [commonV1.SendFailureCode, number, 'SCOPE_GLOBAL' | 'SCOPE_LOCAL', number][] = [
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY, 500, 'SCOPE_GLOBAL', 30 * DAY],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_OUT_OF_SERVICE, 510, 'SCOPE_GLOBAL', HOUR],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_BLACKLIST, 520, 'SCOPE_LOCAL', HOUR],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_BUSY, 530, 'SCOPE_LOCAL', 0],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_NO_ANSWER, 540, 'SCOPE_LOCAL', 0],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_INTERCEPTION, 550, 'SCOPE_LOCAL', HOUR],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_BREAK_DOWN, 560, 'SCOPE_GLOBAL', HOUR],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_NOT_IN_SERVICE, 570, 'SCOPE_GLOBAL', HOUR],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_POWER_OFF, 580, 'SCOPE_LOCAL', 0],
  [commonV1.SendFailureCode.SEND_FAILURE_CODE_OTHER, 590, 'SCOPE_LOCAL', 0],
];

describe('RecordFailure (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;

  beforeAll(async () => {
    store = await createTestStore('interception-failures');
    service = await startTestApp(store);
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  it.each(CODE_TABLE)('%s (%i) → %s for %i ms', async (code, number, scope, durationMs) => {
    const phone = uniquePhone();
    const occurredAt = Date.now() - 1000;
    const response = await service.client.recordFailure({
      accountId: 'acc-codes',
      phone,
      messageId: `msg-${number}-${phone}`,
      code,
      detail: 'channel said so',
      occurredAt: ts(occurredAt),
    });
    const entry = response.entry!;
    expect(entry).toMatchObject({
      phone,
      scope,
      ownerAccountId: 'acc-codes',
      source: 'ENTRY_SOURCE_SEND_FAILURE',
      sendFailureCode: code,
      detail: 'channel said so',
      messageId: `msg-${number}-${phone}`,
    });
    expect(msOf(entry.interceptedAt)).toBe(occurredAt);
    expect(msOf(entry.expiresAt)).toBe(occurredAt + durationMs);
    const { rows } = await store.sql.query(
      'select state, send_failure_code from block_entry where id = $1',
      [entry.entryId],
    );
    const check = await service.client.check({ accountId: 'acc-codes', phone });
    if (durationMs === 0) {
      expect(response.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_RECORDED_EXPIRED);
      expect(entry.state).toBe(EntryState.ENTRY_STATE_EXPIRED);
      expect(rows[0]).toEqual({ state: 'EXPIRED', send_failure_code: number });
      expect(check.verdict).toBe(Verdict.VERDICT_ALLOW);
    } else {
      expect(response.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_CREATED);
      expect(entry.state).toBe(EntryState.ENTRY_STATE_ACTIVE);
      expect(rows[0]).toEqual({ state: 'ACTIVE', send_failure_code: number });
      expect(check.verdict).toBe(
        scope === 'SCOPE_GLOBAL' ? Verdict.VERDICT_GLOBAL_BLOCK : Verdict.VERDICT_PARTIAL_BLOCK,
      );
      expect(check.entry?.entryId).toBe(entry.entryId);
      // Its expiry job is waiting, named by entry id and version.
      expect(await service.app.get(ExpiryScheduler).isScheduled(entry.entryId, 1)).toBe(true);
    }
  });

  it('renews an ACTIVE entry: later expiry wins, never shortens, job replaced', async () => {
    const phone = uniquePhone();
    const base = Date.now();
    const first = await service.client.recordFailure({
      accountId: 'acc-renew',
      phone,
      messageId: 'renew-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_OUT_OF_SERVICE,
      detail: 'first',
      occurredAt: ts(base),
    });
    const later = await service.client.recordFailure({
      accountId: 'acc-other',
      phone,
      messageId: 'renew-2',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_BREAK_DOWN,
      detail: 'second',
      occurredAt: ts(base + 60_000),
    });
    expect(later.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_RENEWED);
    expect(later.entry).toMatchObject({
      entryId: first.entry!.entryId,
      ownerAccountId: 'acc-renew',
      sendFailureCode: commonV1.SendFailureCode.SEND_FAILURE_CODE_BREAK_DOWN,
      reason: 'device failure',
      detail: 'second',
      messageId: 'renew-2',
    });
    expect(msOf(later.entry!.expiresAt)).toBe(base + 60_000 + HOUR);
    expect(msOf(later.entry!.interceptedAt)).toBe(base);

    // An earlier failure delivered late renews the message but keeps the later expiry.
    const earlier = await service.client.recordFailure({
      accountId: 'acc-renew',
      phone,
      messageId: 'renew-3',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_OUT_OF_SERVICE,
      detail: 'third',
      occurredAt: ts(base + 1000),
    });
    expect(earlier.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_RENEWED);
    expect(msOf(earlier.entry!.expiresAt)).toBe(base + 60_000 + HOUR);

    const { rows } = await store.sql.query(
      `select count(*)::int as n, max(version) as version from block_entry where phone = $1 and state = 'ACTIVE'`,
      [phone],
    );
    expect(rows[0]).toEqual({ n: 1, version: 3 });
    const scheduler = service.app.get(ExpiryScheduler);
    expect(await scheduler.isScheduled(first.entry!.entryId, 3)).toBe(true);
    expect(await scheduler.isScheduled(first.entry!.entryId, 1)).toBe(false);
    expect(await scheduler.isScheduled(first.entry!.entryId, 2)).toBe(false);
    const check = await service.client.check({ accountId: 'acc-x', phone });
    expect(msOf(check.entry?.expiresAt)).toBe(base + 60_000 + HOUR);
  });

  it('never creates two ACTIVE entries under concurrent failures for one number', async () => {
    const phone = uniquePhone();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        service.client.recordFailure({
          accountId: 'acc-race',
          phone,
          messageId: `race-${i}`,
          code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
          detail: '',
          occurredAt: null as never,
        }),
      ),
    );
    expect(
      results.filter((r) => r.outcome === FailureOutcome.FAILURE_OUTCOME_CREATED),
    ).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry!.entryId)).size).toBe(1);
    const { rows } = await store.sql.query(
      `select count(*)::int as n from block_entry where phone = $1 and state = 'ACTIVE'`,
      [phone],
    );
    expect(rows[0].n).toBe(1);
  });

  it('treats the same failure delivered twice as a no-op', async () => {
    const phone = uniquePhone();
    const request = {
      accountId: 'acc-dup',
      phone,
      messageId: 'dup-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_BLACKLIST,
      detail: 'x',
      occurredAt: ts(Date.now()),
    };
    const first = await service.client.recordFailure(request);
    const before = await storedState(store);
    const second = await service.client.recordFailure({
      ...request,
      occurredAt: ts(Date.now() + 5000),
    });
    expect(second.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_DUPLICATE);
    expect(second.entry).toEqual(first.entry);
    expect(await storedState(store)).toEqual(before);
  });

  it('starts a new entry when the ACTIVE one is past its expiry but its job has not run', async () => {
    const phone = uniquePhone();
    const first = await service.client.recordFailure({
      accountId: 'acc-overdue',
      phone,
      messageId: 'overdue-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_BLACKLIST,
      detail: '',
      occurredAt: ts(Date.now()),
    });
    await store.sql.query(
      `update block_entry set expires_at = now() - interval '1 second' where id = $1`,
      [first.entry!.entryId],
    );
    const second = await service.client.recordFailure({
      accountId: 'acc-overdue',
      phone,
      messageId: 'overdue-2',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_BLACKLIST,
      detail: '',
      occurredAt: ts(Date.now()),
    });
    expect(second.outcome).toBe(FailureOutcome.FAILURE_OUTCOME_CREATED);
    expect(second.entry!.entryId).not.toBe(first.entry!.entryId);
    const { rows } = await store.sql.query('select state from block_entry where id = $1', [
      first.entry!.entryId,
    ]);
    expect(rows[0].state).toBe('EXPIRED');
  });

  describe('refuses bad input with INVALID_ARGUMENT and stores nothing', () => {
    const valid = () => ({
      accountId: 'acc-bad',
      phone: '+447912345601',
      messageId: 'bad-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
      detail: '',
      occurredAt: null as never,
    });

    it.each([
      ['an invalid phone', { phone: '12345' }, /phone "12345"/],
      ['an empty phone', { phone: '' }, /phone "" is empty/],
      [
        'an unspecified code',
        { code: commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED },
        /code must be/,
      ],
      [
        'an unknown numeric code',
        { code: 511 as unknown as commonV1.SendFailureCode },
        /code must be.*511/,
      ],
      ['a missing account', { accountId: '  ' }, /account_id is required/],
      ['a missing message id', { messageId: '' }, /message_id is required/],
      [
        'a future occurred_at',
        { occurredAt: ts(Date.now() + DAY) },
        /occurred_at is in the future/,
      ],
    ])('%s', async (_, change, message) => {
      const before = await storedState(store);
      await expect(service.client.recordFailure({ ...valid(), ...change })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(message),
      });
      expect(await storedState(store)).toEqual(before);
    });
  });

  it('stores GLOBAL scope with the source customer as owner', async () => {
    const phone = uniquePhone();
    const response = await service.client.recordFailure({
      accountId: 'acc-owner',
      phone,
      messageId: 'owner-1',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
      detail: '',
      occurredAt: null as never,
    });
    expect(response.entry).toMatchObject({
      scope: Scope.SCOPE_GLOBAL,
      ownerAccountId: 'acc-owner',
    });
    await waitFor(
      async () => (await store.redis.hget((await liveIndexKey(store, phone))!, 'g')) !== null,
    );
  });
});
