import { commonV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import {
  createTestStore,
  EntrySource,
  EntryState,
  msOf,
  Scope,
  startTestApp,
  storedState,
  ts,
  uniquePhone,
  Verdict,
  type TestApp,
  type TestStore,
} from './interception-app';

const CUSTOMER_SERVICE_MESSAGE =
  'This entry belongs to another customer; please contact customer service to remove it.';
const { SEND_FAILURE_CODE_BLACKLIST, SEND_FAILURE_CODE_OUT_OF_SERVICE, SEND_FAILURE_CODE_BUSY } =
  commonV1.SendFailureCode;

describe('AddEntry, GetEntry, ListEntries, DeleteEntry (real PostgreSQL, Redis, gRPC)', () => {
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
      messageId: `entries-msg-${++messages}`,
      code,
      detail: 'detail for the owner',
      occurredAt: ts(at),
    });

  beforeAll(async () => {
    store = await createTestStore('interception-entries');
    service = await startTestApp(store);
  });

  afterAll(async () => {
    await service?.close();
    await store?.drop();
  });

  describe('AddEntry', () => {
    it('lets a customer add a LOCAL entry without expiry that blocks only that customer', async () => {
      const phone = uniquePhone();
      const { entry } = await service.client.addEntry({
        accountId: 'acc-m',
        asOperator: false,
        phone,
        scope: Scope.SCOPE_LOCAL,
        reason: 'asked us to stop',
        expiresAt: null as never,
        actor: 'key-1',
      });
      expect(entry).toMatchObject({
        phone,
        scope: Scope.SCOPE_LOCAL,
        ownerAccountId: 'acc-m',
        source: EntrySource.ENTRY_SOURCE_MANUAL,
        state: EntryState.ENTRY_STATE_ACTIVE,
        reason: 'asked us to stop',
      });
      expect(entry!.expiresAt).toBeNull();
      expect((await service.client.check({ accountId: 'acc-m', phone })).verdict).toBe(
        Verdict.VERDICT_PARTIAL_BLOCK,
      );
      expect((await service.client.check({ accountId: 'acc-n', phone })).verdict).toBe(
        Verdict.VERDICT_ALLOW,
      );
      // A failure later renews it without giving it an expiry.
      const renewed = await fail('acc-m', phone, SEND_FAILURE_CODE_BLACKLIST);
      expect(renewed.entry).toMatchObject({
        entryId: entry!.entryId,
        source: EntrySource.ENTRY_SOURCE_MANUAL,
      });
      expect(renewed.entry!.expiresAt).toBeNull();
    });

    it('lets an operator add a GLOBAL entry with an expiry', async () => {
      const phone = uniquePhone();
      const expiresAt = Date.now() + 3_600_000;
      const { entry } = await service.client.addEntry({
        accountId: '',
        asOperator: true,
        phone,
        scope: Scope.SCOPE_GLOBAL,
        reason: 'fraud',
        expiresAt: ts(expiresAt),
        actor: 'operator-ann',
      });
      expect(entry).toMatchObject({ scope: Scope.SCOPE_GLOBAL, ownerAccountId: '' });
      expect(msOf(entry!.expiresAt)).toBe(expiresAt);
      expect((await service.client.check({ accountId: 'anyone', phone })).verdict).toBe(
        Verdict.VERDICT_GLOBAL_BLOCK,
      );
    });

    it('refuses a customer asking for GLOBAL with PERMISSION_DENIED', async () => {
      const before = await storedState(store);
      await expect(
        service.client.addEntry({
          accountId: 'acc-m',
          asOperator: false,
          phone: uniquePhone(),
          scope: Scope.SCOPE_GLOBAL,
          reason: '',
          expiresAt: null as never,
          actor: '',
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
      expect(await storedState(store)).toEqual(before);
    });

    it('refuses a second ACTIVE entry in the same slot with ALREADY_EXISTS', async () => {
      const phone = uniquePhone();
      const request = {
        accountId: 'acc-m',
        asOperator: false,
        phone,
        scope: Scope.SCOPE_LOCAL,
        reason: '',
        expiresAt: null as never,
        actor: '',
      };
      const { entry } = await service.client.addEntry(request);
      await expect(service.client.addEntry(request)).rejects.toMatchObject({
        code: GrpcStatus.ALREADY_EXISTS,
        details: expect.stringContaining(entry!.entryId),
      });
    });

    it.each([
      ['an invalid phone', { phone: 'nope' }, /phone "nope"/],
      ['an unspecified scope', { scope: Scope.SCOPE_UNSPECIFIED }, /scope must be GLOBAL or LOCAL/],
      [
        'an unknown scope value',
        { scope: 7 as unknown as typeof Scope.SCOPE_LOCAL },
        /scope has an unknown value 7/,
      ],
      ['a missing account', { accountId: '' }, /account_id is required/],
      [
        'an expiry in the past',
        { expiresAt: ts(Date.now() - 1000) },
        /expires_at must be in the future/,
      ],
    ])('refuses %s with INVALID_ARGUMENT and stores nothing', async (_, change, message) => {
      const before = await storedState(store);
      await expect(
        service.client.addEntry({
          accountId: 'acc-m',
          asOperator: false,
          phone: uniquePhone(),
          scope: Scope.SCOPE_LOCAL,
          reason: '',
          expiresAt: null as never,
          actor: '',
          ...change,
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(message),
      });
      expect(await storedState(store)).toEqual(before);
    });
  });

  describe('GetEntry and DeleteEntry permissions', () => {
    it('lets the owner read and delete; the entry stays in history as DELETED and stops blocking', async () => {
      const phone = uniquePhone();
      const { entry } = await fail('acc-owner', phone, SEND_FAILURE_CODE_OUT_OF_SERVICE);
      const read = await service.client.getEntry({
        accountId: 'acc-owner',
        asOperator: false,
        entryId: entry!.entryId,
      });
      expect(read.entry).toEqual(entry);
      const { entry: deleted } = await service.client.deleteEntry({
        accountId: 'acc-owner',
        asOperator: false,
        entryId: entry!.entryId,
        actor: 'key-7',
      });
      expect(deleted).toMatchObject({ state: EntryState.ENTRY_STATE_DELETED, deletedBy: 'key-7' });
      expect(deleted!.deletedAt).toBeDefined();
      expect((await service.client.check({ accountId: 'acc-other', phone })).verdict).toBe(
        Verdict.VERDICT_ALLOW,
      );
      const { rows } = await store.sql.query(
        'select state, deleted_by from block_entry where id = $1',
        [entry!.entryId],
      );
      expect(rows[0]).toEqual({ state: 'DELETED', deleted_by: 'key-7' });
      // Deleting again is refused (FAILED_PRECONDITION, REST 409) and changes nothing.
      const before = await storedState(store);
      await expect(
        service.client.deleteEntry({
          accountId: 'acc-owner',
          asOperator: false,
          entryId: entry!.entryId,
          actor: 'key-8',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        details: expect.stringMatching(/is DELETED; only ACTIVE entries can be deleted/),
      });
      await expect(
        service.client.deleteEntry({
          accountId: '',
          asOperator: true,
          entryId: entry!.entryId,
          actor: 'op',
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
      expect(await storedState(store)).toEqual(before);
    });

    it('refuses a non-owner of a GLOBAL entry with the customer-service message and keeps it', async () => {
      const phone = uniquePhone();
      const { entry } = await fail('acc-owner', phone, SEND_FAILURE_CODE_OUT_OF_SERVICE);
      const before = await storedState(store);
      await expect(
        service.client.deleteEntry({
          accountId: 'acc-intruder',
          asOperator: false,
          entryId: entry!.entryId,
          actor: '',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.PERMISSION_DENIED,
        details: CUSTOMER_SERVICE_MESSAGE,
      });
      expect(await storedState(store)).toEqual(before);
      // They may see that it exists and why, but not whose it is.
      const seen = await service.client.getEntry({
        accountId: 'acc-intruder',
        asOperator: false,
        entryId: entry!.entryId,
      });
      expect(seen.entry).toMatchObject({
        entryId: entry!.entryId,
        ownerAccountId: '',
        messageId: '',
        detail: '',
      });
      expect((await service.client.check({ accountId: 'acc-intruder', phone })).verdict).toBe(
        Verdict.VERDICT_GLOBAL_BLOCK,
      );
    });

    it("answers NOT_FOUND for another account's LOCAL entry", async () => {
      const { entry } = await fail('acc-owner', uniquePhone(), SEND_FAILURE_CODE_BLACKLIST);
      const before = await storedState(store);
      for (const call of [
        () =>
          service.client.getEntry({
            accountId: 'acc-intruder',
            asOperator: false,
            entryId: entry!.entryId,
          }),
        () =>
          service.client.deleteEntry({
            accountId: 'acc-intruder',
            asOperator: false,
            entryId: entry!.entryId,
            actor: '',
          }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
      }
      expect(await storedState(store)).toEqual(before);
      await expect(
        service.client.getEntry({
          accountId: 'acc-owner',
          asOperator: false,
          entryId: '8a3c1a52-5a41-4a1e-9f55-000000000000',
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
      await expect(
        service.client.getEntry({
          accountId: 'acc-owner',
          asOperator: false,
          entryId: 'not-a-uuid',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: 'entry_id must be a UUID',
      });
    });

    it('lets an operator delete any entry, and refuses to delete an EXPIRED one', async () => {
      const { entry } = await fail('acc-owner', uniquePhone(), SEND_FAILURE_CODE_BLACKLIST);
      const { entry: deleted } = await service.client.deleteEntry({
        accountId: '',
        asOperator: true,
        entryId: entry!.entryId,
        actor: 'operator-bob',
      });
      expect(deleted).toMatchObject({
        state: EntryState.ENTRY_STATE_DELETED,
        deletedBy: 'operator-bob',
      });
      const expired = await fail('acc-owner', uniquePhone(), SEND_FAILURE_CODE_BUSY);
      await expect(
        service.client.deleteEntry({
          accountId: 'acc-owner',
          asOperator: false,
          entryId: expired.entry!.entryId,
          actor: '',
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
    });
  });

  describe('ListEntries', () => {
    const account = 'acc-list';
    let phones: string[];

    beforeAll(async () => {
      phones = [uniquePhone(), uniquePhone(), uniquePhone()];
      const base = Date.now() - 60_000;
      // 7 entries for acc-list, spread in time, plus one of another account.
      await fail(account, phones[0], SEND_FAILURE_CODE_OUT_OF_SERVICE, base);
      await fail(account, phones[1], SEND_FAILURE_CODE_BLACKLIST, base + 1000);
      await fail(account, phones[2], SEND_FAILURE_CODE_BUSY, base + 2000);
      await fail(account, phones[2], SEND_FAILURE_CODE_BUSY, base + 3000);
      await fail(account, phones[2], SEND_FAILURE_CODE_BLACKLIST, base + 4000);
      await fail(account, phones[1], SEND_FAILURE_CODE_BUSY, base + 5000);
      await fail(account, phones[0], SEND_FAILURE_CODE_BUSY, base + 6000);
      await fail('acc-elsewhere', phones[0], SEND_FAILURE_CODE_BLACKLIST, base + 7000);
    });

    const list = (overrides: Record<string, unknown> = {}) =>
      service.client.listEntries({
        accountId: account,
        asOperator: false,
        phone: '',
        sendFailureCode: commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED,
        source: EntrySource.ENTRY_SOURCE_UNSPECIFIED,
        scope: Scope.SCOPE_UNSPECIFIED,
        state: EntryState.ENTRY_STATE_UNSPECIFIED,
        from: null as never,
        to: null as never,
        pageSize: 0,
        pageToken: '',
        messageId: '',
        ...overrides,
      });

    it("pages through a customer's own entries newest first with keyset tokens", async () => {
      const seen: string[] = [];
      let pageToken = '';
      let pages = 0;
      do {
        const page = await list({ pageSize: 3, pageToken });
        seen.push(...page.entries.map((e) => e.entryId));
        expect(page.entries.every((e) => e.ownerAccountId === account)).toBe(true);
        pageToken = page.nextPageToken;
        pages += 1;
      } while (pageToken);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const all = await list({ pageSize: 10 });
      expect(all.entries.map((e) => e.entryId)).toEqual(seen);
      const times = all.entries.map((e) => msOf(e.interceptedAt)!);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('filters by phone, code, source, scope, state and interception period', async () => {
      expect((await list({ phone: phones[2].slice(1) })).entries).toHaveLength(3);
      expect((await list({ sendFailureCode: SEND_FAILURE_CODE_BUSY })).entries).toHaveLength(4);
      expect((await list({ scope: Scope.SCOPE_GLOBAL })).entries).toHaveLength(1);
      expect((await list({ state: EntryState.ENTRY_STATE_EXPIRED })).entries).toHaveLength(4);
      expect((await list({ source: EntrySource.ENTRY_SOURCE_MANUAL })).entries).toHaveLength(0);
      const all = (await list()).entries;
      const from = all[4].interceptedAt;
      const to = all[1].interceptedAt;
      const window = await list({ from, to });
      expect(window.entries.map((e) => e.entryId)).toEqual(all.slice(2, 5).map((e) => e.entryId));
    });

    it("filters by message: the entry its failure created or renewed, in the caller's tenancy", async () => {
      const phone = uniquePhone();
      const failWith = (messageId: string) =>
        service.client.recordFailure({
          accountId: 'acc-msg',
          phone,
          messageId,
          code: SEND_FAILURE_CODE_BLACKLIST,
          detail: '',
          occurredAt: ts(Date.now()),
        });
      const created = await failWith('link-msg-1');
      const renewed = await failWith('link-msg-2');
      expect(renewed.entry?.entryId).toBe(created.entry?.entryId);
      // The renewal moved the entry's message_id on; the first message still finds it.
      expect(renewed.entry?.messageId).toBe('link-msg-2');
      const byMessage = (messageId: string, overrides: Record<string, unknown> = {}) =>
        list({ accountId: 'acc-msg', messageId, ...overrides }).then((page) =>
          page.entries.map((e) => e.entryId),
        );
      expect(await byMessage('link-msg-1')).toEqual([created.entry!.entryId]);
      expect(await byMessage(' link-msg-2 ')).toEqual([created.entry!.entryId]);
      expect(await byMessage('link-msg-none')).toEqual([]);
      expect(await byMessage('link-msg-1', { accountId: 'acc-other' })).toEqual([]);
      expect(await byMessage('link-msg-1', { accountId: '', asOperator: true })).toEqual([
        created.entry!.entryId,
      ]);
      // With other filters too.
      expect(await byMessage('link-msg-1', { state: EntryState.ENTRY_STATE_EXPIRED })).toEqual([]);
      expect(await byMessage('link-msg-1', { phone })).toEqual([created.entry!.entryId]);
      // Empty does not filter.
      expect((await list({ accountId: 'acc-msg', messageId: '' })).entries).toHaveLength(1);
    });

    it('lets an operator list every account', async () => {
      const page = await list({ accountId: '', asOperator: true, phone: phones[0], pageSize: 10 });
      expect(new Set(page.entries.map((e) => e.ownerAccountId))).toEqual(
        new Set([account, 'acc-elsewhere']),
      );
    });

    it('refuses forged or replayed page tokens and bad filters with INVALID_ARGUMENT', async () => {
      const first = await list({ pageSize: 2 });
      const token = first.nextPageToken;
      const [payload, signature] = token.split('.');
      const position = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
        at: number;
        id: string;
      };
      const forged = `${Buffer.from(JSON.stringify({ ...position, at: position.at + 1 })).toString('base64url')}.${signature}`;
      const before = await storedState(store);
      for (const [overrides, message] of [
        [{ pageToken: forged }, /page_token is not valid/],
        [{ pageToken: 'bm90IGEgdG9rZW4' }, /page_token is not valid/],
        [{ pageToken: token, accountId: 'acc-elsewhere' }, /page_token is not valid/],
        [{ pageToken: token, state: EntryState.ENTRY_STATE_ACTIVE }, /page_token is not valid/],
        [{ pageSize: 501 }, /page_size must be 1..500/],
        [{ phone: '12' }, /phone "12"/],
        [{ accountId: '' }, /account_id is required/],
        [{ sendFailureCode: 512 }, /send_failure_code 512 is unknown/],
        [{ messageId: 'm'.repeat(129) }, /message_id must be at most 128 characters/],
        [{ pageToken: token, messageId: 'entries-msg-1' }, /page_token is not valid/],
        [{ from: ts(Date.now()), to: ts(Date.now() - 1000) }, /from must be before to/],
      ] as const) {
        await expect(list(overrides)).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          details: expect.stringMatching(message),
        });
      }
      expect(await storedState(store)).toEqual(before);
    });
  });
});
