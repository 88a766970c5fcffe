import { toTimestamp, type replyV1, type statusV1 } from '@sms/contracts';
import { waitFor } from '@sms/testing';
import { startBackEndServices, type BackEndServices } from './support/back-end-services';
import { asCsvText, csvObjects } from './support/csv';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';

// The gateway in front of the REAL status-tracker, interception-service and reply-service
// processes (real gRPC, PostgreSQL, Redis): every endpoint's success path and tenancy — account A
// can read, list, check through and delete nothing of account B's, by guessing ids or reusing
// page tokens.

const suffix = String(Date.now() % 10_000).padStart(4, '0');
/** Valid UK mobile numbers, distinct per run. */
const phone = (n: number) => `+447911${n}${suffix}`;
const P_EMPTY = phone(10); // A's message fails EMPTY (500): a GLOBAL entry owned by A
const P_DELIVERED = phone(11); // A's message delivered; its recipient replies STOP
const P_BLACKLIST = phone(12); // B's message fails BLACKLIST (520): a LOCAL entry of B
const P_MANUAL = phone(13);
const P_OPERATOR = phone(14);
const P_API_UNSUB = phone(15);
const P_STRANGER = phone(16); // replies without any message: unattributed
const enc = encodeURIComponent;

type Json = Record<string, unknown>;
type PageJson = { data: Json[]; nextPageToken: string | null };

describe('gateway with the real back-end services', () => {
  let services: BackEndServices;
  let gateway: GatewayUnderTest;
  let a: TestKey;
  let b: TestKey;
  let operator: TestKey;
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

  beforeAll(async () => {
    services = await startBackEndServices();
    gateway = await startGatewayUnderTest({
      STATUS_GRPC_TARGET: services.statusTarget,
      INTERCEPTION_GRPC_TARGET: services.interceptionTarget,
      REPLY_GRPC_TARGET: services.replyTarget,
    });
    a = await gateway.newAccount('customer');
    b = await gateway.newAccount('customer');
    operator = await gateway.newAccount('operator');

    const accepted = (
      messageId: string,
      accountId: string,
      recipient: string,
      at: Date,
      labels: string[] = [],
    ): statusV1.MessageEvent => ({
      eventId: `${messageId}-accepted`,
      messageId,
      occurredAt: toTimestamp(at),
      accepted: {
        accountId,
        smsUser: 'api-user',
        recipient,
        entries: 1,
        templateId: 'tpl-1',
        templateType: 'TEMPLATE_TYPE_NOTIFICATION' as statusV1.AcceptedDetail['templateType'],
        labels,
      },
    });
    const submitted = (messageId: string, at: Date): statusV1.MessageEvent => ({
      eventId: `${messageId}-submitted`,
      messageId,
      occurredAt: toTimestamp(at),
      submitted: { channel: 'ch-1', operator: 'vodafone-uk' },
    });
    const failed = (messageId: string, code: string, at: Date): statusV1.MessageEvent => ({
      eventId: `${messageId}-failed`,
      messageId,
      occurredAt: toTimestamp(at),
      sendFailed: {
        code: code as statusV1.SendFailedDetail['code'],
        detail: 'UNDELIV',
        operator: 'vodafone-uk',
      },
    });
    const delivered = (messageId: string, at: Date): statusV1.MessageEvent => ({
      eventId: `${messageId}-delivered`,
      messageId,
      occurredAt: toTimestamp(at),
      delivered: { detail: 'DELIVRD', operator: 'vodafone-uk' },
    });
    const events: statusV1.MessageEvent[] = [
      accepted('a-1', a.accountId, P_EMPTY, minutesAgo(50), ['promo']),
      submitted('a-1', minutesAgo(49)),
      failed('a-1', 'SEND_FAILURE_CODE_EMPTY', minutesAgo(48)),
      accepted('a-2', a.accountId, P_DELIVERED, minutesAgo(40)),
      submitted('a-2', minutesAgo(39)),
      delivered('a-2', minutesAgo(38)),
      accepted('a-3', a.accountId, phone(17), minutesAgo(30)),
      accepted('a-4', a.accountId, phone(18), minutesAgo(20)),
      accepted('b-1', b.accountId, P_BLACKLIST, minutesAgo(45)),
      submitted('b-1', minutesAgo(44)),
      failed('b-1', 'SEND_FAILURE_CODE_BLACKLIST', minutesAgo(43)),
      accepted('b-2', b.accountId, P_DELIVERED, minutesAgo(60)),
    ];
    const { outcomes } = await services.status.recordEvents({ events });
    expect(outcomes.map((o) => o.result)).toEqual(events.map(() => 'EVENT_RESULT_APPLIED'));

    const replies: replyV1.InboundReply[] = [
      {
        replyId: `r-stop-${suffix}`,
        phone: P_DELIVERED,
        content: ' Stop! ',
        receivedAt: toTimestamp(minutesAgo(10)),
        operator: 'vodafone-uk',
        channel: 'ch-1',
        accountId: '',
        messageId: '',
      },
      {
        replyId: `r-thanks-${suffix}`,
        phone: P_EMPTY,
        content: 'thanks',
        receivedAt: toTimestamp(minutesAgo(8)),
        operator: 'vodafone-uk',
        channel: 'ch-1',
        accountId: '',
        messageId: 'a-1',
      },
      {
        replyId: `r-stranger-${suffix}`,
        phone: P_STRANGER,
        content: 'who is this',
        receivedAt: toTimestamp(minutesAgo(9)),
        operator: 'vodafone-uk',
        channel: 'ch-1',
        accountId: '',
        messageId: '',
      },
    ];
    const recorded = await services.reply.recordReplies({ replies });
    expect(recorded.outcomes.map((o) => o.result)).toEqual(
      replies.map(() => 'REPLY_RESULT_APPLIED'),
    );

    // Send failures reach the block list through status-tracker's outbox; the STOP through reply-service's.
    await waitFor(
      async () => {
        const [ofA, ofB, unsubscribes] = await Promise.all([
          gateway.request('/v1/block-list', { key: a }),
          gateway.request('/v1/block-list', { key: b }),
          gateway.request('/v1/unsubscribes', { key: a }),
        ]);
        return (
          (ofA.body as PageJson).data?.length === 1 &&
          (ofB.body as PageJson).data?.length === 1 &&
          (unsubscribes.body as PageJson).data?.length === 1
        );
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'block-list entries and the unsubscribe' },
    );
  }, 240_000);

  afterAll(async () => {
    await gateway?.close();
    await services?.stop();
  }, 60_000);

  describe('messages', () => {
    it('lists only the caller’s messages, newest first, with filters', async () => {
      const ofA = await gateway.request('/v1/messages', { key: a });
      expect(ofA.status).toBe(200);
      expect((ofA.body as PageJson).data.map((m) => m['messageId'])).toEqual([
        'a-4',
        'a-3',
        'a-2',
        'a-1',
      ]);
      const ofB = await gateway.request('/v1/messages', { key: b });
      expect((ofB.body as PageJson).data.map((m) => m['messageId'])).toEqual(['b-1', 'b-2']);

      const failed = await gateway.request(
        '/v1/messages?status=send_failed&reasonCode=500&label=promo',
        { key: a },
      );
      expect((failed.body as PageJson).data).toEqual([
        expect.objectContaining({
          messageId: 'a-1',
          status: 'send_failed',
          reasonCode: 'empty',
          reasonText: 'number does not exist',
          sendFailureCode: 500,
          recipient: P_EMPTY,
          labels: ['promo'],
          templateType: 'notification',
        }),
      ]);
      const byPhone = await gateway.request(`/v1/messages?phone=${enc(P_DELIVERED)}`, { key: a });
      expect((byPhone.body as PageJson).data.map((m) => m['messageId'])).toEqual(['a-2']);
      const period = await gateway.request(
        `/v1/messages?from=${minutesAgo(35).toISOString()}&to=${minutesAgo(25).toISOString()}`,
        { key: a },
      );
      expect((period.body as PageJson).data.map((m) => m['messageId'])).toEqual(['a-3']);
    });

    it('pages with tokens that only work for the account and filters they came from', async () => {
      const first = await gateway.request('/v1/messages?pageSize=3', { key: a });
      const page1 = first.body as PageJson;
      expect(page1.data).toHaveLength(3);
      expect(page1.nextPageToken).toEqual(expect.any(String));
      const second = await gateway.request(
        `/v1/messages?pageSize=3&pageToken=${enc(page1.nextPageToken!)}`,
        { key: a },
      );
      expect(second.body as PageJson).toEqual({
        data: [expect.objectContaining({ messageId: 'a-1' })],
        nextPageToken: null,
      });

      const stolen = await gateway.request(
        `/v1/messages?pageSize=3&pageToken=${enc(page1.nextPageToken!)}`,
        { key: b },
      );
      expect(stolen).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
      const otherFilter = await gateway.request(
        `/v1/messages?pageSize=3&status=delivered&pageToken=${enc(page1.nextPageToken!)}`,
        { key: a },
      );
      expect(otherFilter.status).toBe(400);
      const tampered = await gateway.request(
        `/v1/messages?pageSize=3&pageToken=${enc(`${page1.nextPageToken!.slice(0, -2)}xy`)}`,
        { key: a },
      );
      expect(tampered).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
    });

    it('reads one message with its send log, and never another account’s', async () => {
      const own = await gateway.request('/v1/messages/a-1', { key: a });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        messageId: 'a-1',
        accountId: a.accountId,
        status: 'send_failed',
        reasonDetail: 'UNDELIV',
        channel: 'ch-1',
      });
      expect(((own.body as Json)['sendLog'] as Json[]).map((entry) => entry['kind'])).toEqual([
        'accepted',
        'submitted',
        'send_failed',
      ]);

      expect(await gateway.request('/v1/messages/b-1', { key: a })).toMatchObject({
        status: 404,
        body: { error: 'NOT_FOUND' },
      });
      expect(await gateway.request('/v1/messages/no-such-message', { key: a })).toMatchObject({
        status: 404,
      });
    });
  });

  describe('block list', () => {
    it('lists each account’s own entries only', async () => {
      const ofA = (await gateway.request('/v1/block-list', { key: a })).body as PageJson;
      expect(ofA.data).toEqual([
        expect.objectContaining({
          phone: P_EMPTY,
          scope: 'global',
          ownedByYou: true,
          ownerAccountId: a.accountId,
          reasonCode: 'empty',
          sendFailureCode: 500,
          messageId: 'a-1',
          state: 'active',
          source: 'send_failure',
        }),
      ]);
      const ofB = (
        await gateway.request('/v1/block-list?reasonCode=blacklist&scope=local&state=active', {
          key: b,
        })
      ).body as PageJson;
      expect(ofB.data).toEqual([
        expect.objectContaining({
          phone: P_BLACKLIST,
          scope: 'local',
          ownedByYou: true,
          ownerAccountId: b.accountId,
          reasonCode: 'blacklist',
          sendFailureCode: 520,
        }),
      ]);
    });

    it('checks numbers as the sending service sees them, without revealing the other customer', async () => {
      const bSeesA = await gateway.request(`/v1/block-list/check?phone=${enc(P_EMPTY)}`, {
        key: b,
      });
      expect(bSeesA.body).toMatchObject({
        phone: P_EMPTY,
        verdict: 'global_block',
        entry: {
          scope: 'global',
          ownedByYou: false,
          ownerAccountId: null,
          messageId: null,
          reasonDetail: null,
          reasonCode: 'empty',
        },
      });
      expect(JSON.stringify(bSeesA.body)).not.toContain(a.accountId);

      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_BLACKLIST)}`, { key: a })).body,
      ).toMatchObject({ verdict: 'allow', entry: null });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_BLACKLIST)}`, { key: b })).body,
      ).toMatchObject({ verdict: 'partial_block', entry: { ownedByYou: true } });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_DELIVERED)}`, { key: a })).body,
      ).toMatchObject({
        verdict: 'unsubscribe',
        unsubscribe: { phone: P_DELIVERED, source: 'reply' },
      });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_DELIVERED)}`, { key: b })).body,
      ).toMatchObject({ verdict: 'allow' });
    });

    it('refuses to show or delete another account’s entries by id', async () => {
      const [globalOfA] = ((await gateway.request('/v1/block-list', { key: a })).body as PageJson)
        .data;
      const [localOfB] = ((await gateway.request('/v1/block-list', { key: b })).body as PageJson)
        .data;
      const globalId = String(globalOfA?.['entryId']);
      const localId = String(localOfB?.['entryId']);

      expect(await gateway.request(`/v1/block-list/${localId}`, { key: a })).toMatchObject({
        status: 404,
      });
      expect(await gateway.request(`/v1/block-list/${globalId}`, { key: b })).toMatchObject({
        status: 200,
        body: { ownerAccountId: null, messageId: null },
      });

      const deleteGlobal = await gateway.request(`/v1/block-list/${globalId}`, {
        key: b,
        method: 'DELETE',
      });
      expect(deleteGlobal).toMatchObject({
        status: 403,
        body: {
          error: 'PERMISSION_DENIED',
          message: expect.stringMatching(/contact customer service/),
        },
      });
      const deleteLocal = await gateway.request(`/v1/block-list/${localId}`, {
        key: a,
        method: 'DELETE',
      });
      expect([403, 404]).toContain(deleteLocal.status);

      // Nothing changed.
      expect((await gateway.request(`/v1/block-list/${globalId}`, { key: a })).body).toMatchObject({
        state: 'active',
      });
      expect((await gateway.request(`/v1/block-list/${localId}`, { key: b })).body).toMatchObject({
        state: 'active',
      });
    });

    it('adds a manual local entry that blocks only the caller, and deletes it', async () => {
      const added = await gateway.request('/v1/block-list', {
        key: a,
        method: 'POST',
        body: { phone: P_MANUAL, reasonText: 'asked by phone' },
      });
      expect(added).toMatchObject({
        status: 201,
        body: {
          phone: P_MANUAL,
          scope: 'local',
          source: 'manual',
          ownedByYou: true,
          expiresAt: null,
          state: 'active',
        },
      });
      const entryId = String((added.body as Json)['entryId']);
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_MANUAL)}`, { key: a })).body,
      ).toMatchObject({ verdict: 'partial_block' });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_MANUAL)}`, { key: b })).body,
      ).toMatchObject({ verdict: 'allow' });
      expect(await gateway.request(`/v1/block-list/${entryId}`, { key: a })).toMatchObject({
        status: 200,
        body: { entryId },
      });

      // A now has two entries: a page token of A's list is refused to B.
      const page = (await gateway.request('/v1/block-list?pageSize=1', { key: a }))
        .body as PageJson;
      expect(page.nextPageToken).toEqual(expect.any(String));
      const stolen = await gateway.request(
        `/v1/block-list?pageSize=1&pageToken=${enc(page.nextPageToken!)}`,
        { key: b },
      );
      expect(stolen).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });

      const deleted = await gateway.request(`/v1/block-list/${entryId}`, {
        key: a,
        method: 'DELETE',
      });
      expect(deleted).toMatchObject({
        status: 200,
        body: { entryId, state: 'deleted', deletedBy: a.keyId },
      });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_MANUAL)}`, { key: a })).body,
      ).toMatchObject({ verdict: 'allow' });
    });

    it('lets operators list any account, add global entries and delete anything', async () => {
      const ofB = await gateway.request(`/v1/admin/block-list?accountId=${b.accountId}`, {
        key: operator,
      });
      expect((ofB.body as PageJson).data).toEqual([
        expect.objectContaining({
          phone: P_BLACKLIST,
          ownerAccountId: b.accountId,
          messageId: 'b-1',
        }),
      ]);
      const all = await gateway.request('/v1/admin/block-list?state=active', { key: operator });
      expect((all.body as PageJson).data.map((e) => e['phone']).sort()).toEqual(
        [P_EMPTY, P_BLACKLIST].sort(),
      );

      const added = await gateway.request('/v1/admin/block-list', {
        key: operator,
        method: 'POST',
        body: { phone: P_OPERATOR, reasonText: 'fraud' },
      });
      expect(added).toMatchObject({
        status: 201,
        body: { scope: 'global', source: 'manual', state: 'active' },
      });
      const entryId = String((added.body as Json)['entryId']);
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_OPERATOR)}`, { key: b })).body,
      ).toMatchObject({ verdict: 'global_block' });
      expect(
        await gateway.request(`/v1/block-list/${entryId}`, { key: a, method: 'DELETE' }),
      ).toMatchObject({ status: 403 });

      expect(
        await gateway.request(`/v1/admin/block-list/${entryId}`, { key: operator }),
      ).toMatchObject({ status: 200, body: { entryId } });
      const deleted = await gateway.request(`/v1/admin/block-list/${entryId}`, {
        key: operator,
        method: 'DELETE',
      });
      expect(deleted).toMatchObject({ status: 200, body: { state: 'deleted' } });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_OPERATOR)}`, { key: b })).body,
      ).toMatchObject({ verdict: 'allow' });
    });
  });

  describe('unsubscribes', () => {
    it('keeps each account’s list to itself', async () => {
      expect((await gateway.request('/v1/unsubscribes', { key: a })).body).toEqual({
        data: [
          expect.objectContaining({
            phone: P_DELIVERED,
            source: 'reply',
            replyId: `r-stop-${suffix}`,
          }),
        ],
        nextPageToken: null,
      });
      expect((await gateway.request('/v1/unsubscribes', { key: b })).body).toEqual({
        data: [],
        nextPageToken: null,
      });

      const added = await gateway.request('/v1/unsubscribes', {
        key: a,
        method: 'POST',
        body: { phone: P_API_UNSUB },
      });
      expect(added).toMatchObject({ status: 201, body: { phone: P_API_UNSUB, source: 'api' } });
      expect(
        (
          await gateway.request('/v1/unsubscribes', {
            key: a,
            method: 'POST',
            body: { phone: P_API_UNSUB },
          })
        ).status,
      ).toBe(200);
      expect(
        (await gateway.request(`/v1/unsubscribes?phone=${enc(P_API_UNSUB)}`, { key: a })).body,
      ).toMatchObject({ data: [{ phone: P_API_UNSUB }] });

      // A page token of A's list is no key to B's (or anyone's) list.
      const firstPage = (await gateway.request('/v1/unsubscribes?pageSize=1', { key: a }))
        .body as PageJson;
      expect(firstPage.nextPageToken).toEqual(expect.any(String));
      const stolen = await gateway.request(
        `/v1/unsubscribes?pageSize=1&pageToken=${enc(firstPage.nextPageToken!)}`,
        { key: b },
      );
      expect(stolen).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });

      // B cannot remove A's unsubscribe.
      expect(
        (
          await gateway.request(`/v1/unsubscribes/${enc(P_API_UNSUB)}`, {
            key: b,
            method: 'DELETE',
          })
        ).body,
      ).toEqual({ phone: P_API_UNSUB, removed: false });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_API_UNSUB)}`, { key: a })).body,
      ).toMatchObject({ verdict: 'unsubscribe' });

      expect(
        (
          await gateway.request(`/v1/unsubscribes/${enc(P_API_UNSUB)}`, {
            key: a,
            method: 'DELETE',
          })
        ).body,
      ).toEqual({ phone: P_API_UNSUB, removed: true });
      expect(
        (await gateway.request(`/v1/block-list/check?phone=${enc(P_API_UNSUB)}`, { key: a })).body,
      ).toMatchObject({ verdict: 'allow' });
    });
  });

  describe('replies', () => {
    it('shows replies to the caller’s messages only; operators see the unattributed ones', async () => {
      const ofA = (await gateway.request('/v1/replies', { key: a })).body as PageJson;
      expect(ofA.data).toEqual([
        expect.objectContaining({
          replyId: `r-thanks-${suffix}`,
          messageId: 'a-1',
          keywordAction: 'none',
          attribution: 'message_id',
        }),
        expect.objectContaining({
          replyId: `r-stop-${suffix}`,
          phone: P_DELIVERED,
          accountId: a.accountId,
          messageId: 'a-2',
          keywordAction: 'unsubscribe',
          attribution: 'latest_message',
        }),
      ]);
      expect(
        (
          await gateway.request(`/v1/replies?phone=${enc(P_DELIVERED)}&templateId=tpl-1`, {
            key: a,
          })
        ).body,
      ).toMatchObject({ data: [{ replyId: `r-stop-${suffix}` }] });
      expect((await gateway.request('/v1/replies', { key: b })).body).toEqual({
        data: [],
        nextPageToken: null,
      });
      expect(
        (await gateway.request(`/v1/replies?phone=${enc(P_STRANGER)}`, { key: a })).body,
      ).toEqual({ data: [], nextPageToken: null });

      const unattributed = (
        await gateway.request('/v1/admin/replies?unattributed=true', { key: operator })
      ).body as PageJson;
      expect(unattributed.data).toEqual([
        expect.objectContaining({
          replyId: `r-stranger-${suffix}`,
          accountId: null,
          attribution: 'unattributed',
        }),
      ]);
      const ofAForOperator = (
        await gateway.request(`/v1/admin/replies?accountId=${a.accountId}`, { key: operator })
      ).body as PageJson;
      expect(ofAForOperator.data.map((r) => r['replyId'])).toEqual([
        `r-thanks-${suffix}`,
        `r-stop-${suffix}`,
      ]);
    });

    it('refuses a page token of A’s replies from B', async () => {
      const first = (await gateway.request('/v1/replies?pageSize=1', { key: a })).body as PageJson;
      expect(first.data).toHaveLength(1);
      expect(first.nextPageToken).toEqual(expect.any(String));
      const next = await gateway.request(
        `/v1/replies?pageSize=1&pageToken=${enc(first.nextPageToken!)}`,
        { key: a },
      );
      expect((next.body as PageJson).data.map((r) => r['replyId'])).toEqual([`r-stop-${suffix}`]);
      const stolen = await gateway.request(
        `/v1/replies?pageSize=1&pageToken=${enc(first.nextPageToken!)}`,
        { key: b },
      );
      expect(stolen).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
    });
  });

  describe('CSV exports and statistics', () => {
    const listAll = async (path: string, key: TestKey): Promise<Json[]> => {
      const all: Json[] = [];
      let token: string | null = null;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page: PageJson = (
          await gateway.request(
            `${path}${separator}pageSize=2${token ? `&pageToken=${enc(token)}` : ''}`,
            { key },
          )
        ).body as PageJson;
        all.push(...page.data);
        token = page.nextPageToken;
      } while (token);
      return all;
    };
    const exported = async (path: string, key: TestKey) => {
      const response = await fetch(`${gateway.url}${path}`, {
        headers: { authorization: key.bearer },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers.get('content-disposition')).toMatch(
        /^attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}T[\d-]+Z\.csv"$/,
      );
      return csvObjects(await response.text());
    };

    it.each([
      ['/v1/messages/export', '/v1/messages'],
      ['/v1/messages/export?status=send_failed', '/v1/messages?status=send_failed'],
      [
        '/v1/messages/export?status=send_failed,delivered',
        '/v1/messages?status=send_failed,delivered',
      ],
      ['/v1/block-list/export?messageId=a-1', '/v1/block-list?messageId=a-1'],
      ['/v1/replies/export?messageId=a-2', '/v1/replies?messageId=a-2'],
      ['/v1/replies/export', '/v1/replies'],
      ['/v1/block-list/export', '/v1/block-list'],
    ])('%s parsed back equals %s, every field, for each account', async (exportPath, listPath) => {
      for (const key of [a, b]) {
        const [csv, listed] = await Promise.all([
          exported(exportPath, key),
          listAll(listPath, key),
        ]);
        // A has messages, replies and entries; B has no replies (a header row only).
        if (key === a) expect(listed.length).toBeGreaterThan(0);
        if (listed[0]) expect([...csv.header].sort()).toEqual(Object.keys(listed[0]).sort());
        else expect(csv.header.length).toBeGreaterThan(5);
        expect(csv.rows).toEqual(
          listed.map((item) =>
            Object.fromEntries(Object.entries(item).map(([k, v]) => [k, asCsvText(v)])),
          ),
        );
      }
      const ofA = await exported(exportPath, a);
      expect(JSON.stringify(ofA.rows)).not.toContain(b.accountId);
    });

    it('exports message times in ISO 8601 UTC and refuses bad filters with the JSON error', async () => {
      const csv = await exported('/v1/messages/export', a);
      expect(csv.rows.length).toBe(4);
      for (const row of csv.rows)
        expect(row['requestTime']).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/);
      const refused = await gateway.request('/v1/messages/export?status=lost', { key: a });
      expect(refused).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
      const paging = await gateway.request('/v1/messages/export?pageSize=5', { key: a });
      expect(paging).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
    });

    it('counts exactly what the message list shows, per filter, with a delivery rate', async () => {
      for (const filter of [
        '',
        'status=send_failed',
        'status=send_failed,delivered,sending',
        'label=promo',
        `phone=${enc(P_DELIVERED)}`,
      ]) {
        const listed = await listAll(`/v1/messages${filter ? `?${filter}` : ''}`, a);
        const response = await gateway.request(
          `/v1/stats/messages?groupBy=hour${filter ? `&${filter}` : ''}`,
          { key: a },
        );
        expect(response.status).toBe(200);
        const stats = response.body as {
          groupBy: string;
          buckets: { messages: number }[];
          total: {
            messages: number;
            entries: number;
            statuses: Record<string, number>;
            sendFailureCodes: Record<string, number>;
            deliveryRate: number | null;
          };
        };
        expect(stats.groupBy).toBe('hour');
        expect(stats.buckets.length).toBeGreaterThanOrEqual(30 * 24);
        expect(stats.total.messages).toBe(listed.length);
        expect(stats.buckets.reduce((sum, bucket) => sum + bucket.messages, 0)).toBe(listed.length);
        expect(stats.total.entries).toBe(listed.reduce((sum, m) => sum + Number(m['entries']), 0));
        const delivered = listed.filter((m) => m['status'] === 'delivered').length;
        expect(stats.total.statuses['delivered']).toBe(delivered);
        expect(stats.total.sendFailureCodes['500']).toBe(
          listed.filter((m) => m['sendFailureCode'] === 500).length,
        );
        expect(stats.total.deliveryRate).toBe(listed.length ? delivered / listed.length : null);
      }
      const ofB = (await gateway.request('/v1/stats/messages', { key: b })).body as {
        total: { messages: number; sendFailureCodes: Record<string, number> };
      };
      expect(ofB.total.messages).toBe(2);
      expect(ofB.total.sendFailureCodes['520']).toBe(1);
      expect(ofB.total.sendFailureCodes['500']).toBe(0);
    });

    it('gives an operator the statistics of the account it names, the same as the customer’s', async () => {
      // One explicit period, so both answers bucket the very same window.
      const period = `from=${new Date(Date.now() - 29 * 86_400_000).toISOString()}&to=${new Date(
        Date.now() + 60_000,
      ).toISOString()}`;
      for (const filter of ['', '&status=send_failed,delivered', '&groupBy=hour&label=promo']) {
        const own = await gateway.request(`/v1/stats/messages?${period}${filter}`, { key: a });
        const picked = await gateway.request(
          `/v1/admin/stats/messages?accountId=${a.accountId}&${period}${filter}`,
          { key: operator },
        );
        expect(picked.status).toBe(200);
        expect(picked.body).toEqual(own.body);
      }
      const other = await gateway.request(`/v1/admin/stats/messages?accountId=${b.accountId}`, {
        key: operator,
      });
      expect((other.body as { total: { messages: number } }).total.messages).toBe(2);
      const refused = await gateway.request(`/v1/admin/stats/messages?accountId=${a.accountId}`, {
        key: a,
      });
      expect(refused).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    });

    it('refuses bad statistics queries with a 400 naming the parameter', async () => {
      for (const [query, message] of [
        ['groupBy=week', /query parameter groupBy: must be one of day, hour/],
        ['pageSize=5', /pageSize is not supported/],
        ['reasonCode=other', /query parameter reasonCode: "other" is both/],
        ['status=delivered,lost', /query parameter status: .*"lost" is not one/],
        ['status=send_failed,process_failed&reasonCode=other', /give exactly one of/],
      ] as const) {
        const response = await gateway.request(`/v1/stats/messages?${query}`, { key: a });
        expect(response).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
        expect((response.body as { message: string }).message).toMatch(message);
      }
    });
  });

  describe('links between records', () => {
    const ids = (body: unknown, key: string) => (body as PageJson).data.map((item) => item[key]);

    it('filters messages by several statuses, and a reason only with its own status among them', async () => {
      const failedOrDelivered = await gateway.request('/v1/messages?status=send_failed,delivered', {
        key: a,
      });
      expect(failedOrDelivered.status).toBe(200);
      expect(ids(failedOrDelivered.body, 'messageId')).toEqual(['a-2', 'a-1']);
      const withReason = await gateway.request(
        '/v1/messages?status=delivered,send_failed&reasonCode=empty',
        { key: a },
      );
      expect(ids(withReason.body, 'messageId')).toEqual(['a-1']);
      const repeated = await gateway.request('/v1/messages?status=sending,sending', { key: a });
      expect(ids(repeated.body, 'messageId')).toEqual(['a-4', 'a-3']);
      const ofOperator = await gateway.request(
        '/v1/admin/messages?status=send_failed,process_failed&pageSize=500',
        { key: operator },
      );
      expect(ids(ofOperator.body, 'messageId')).toEqual(expect.arrayContaining(['a-1', 'b-1']));
      expect(ids(ofOperator.body, 'messageId')).not.toContain('a-2');
      // A page token belongs to the statuses it was issued for.
      const first = (
        await gateway.request('/v1/messages?status=send_failed,delivered&pageSize=1', {
          key: a,
        })
      ).body as PageJson;
      expect(first.nextPageToken).toEqual(expect.any(String));
      const otherStatuses = await gateway.request(
        `/v1/messages?status=send_failed,sending&pageSize=1&pageToken=${enc(first.nextPageToken!)}`,
        { key: a },
      );
      expect(otherStatuses).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
    });

    it.each([
      ['/v1/messages?status=send_failed,lost', /query parameter status: .*"lost" is not one/],
      ['/v1/messages?status=', /query parameter status: .*an empty value is not one/],
      ['/v1/messages?status=send_failed,', /an empty value is not one/],
      ['/v1/messages?status=SEND_FAILED', /"SEND_FAILED" is not one/],
      ['/v1/messages?status=send_failed&status=delivered', /status: must be given once/],
      [
        '/v1/messages?status=delivered,sending&reasonCode=500',
        /cannot match status delivered,sending/,
      ],
      ['/v1/messages?status=delivered,send_failed&reasonCode=unsubscribe', /add process_failed/],
      ['/v1/messages/export?status=wait_result,nope', /"nope" is not one/],
      ['/v1/block-list?messageId=', /query parameter messageId: must not be empty/],
      ['/v1/block-list?messageId=a%201', /messageId: must contain only visible ASCII/],
      [`/v1/replies?messageId=${'m'.repeat(129)}`, /messageId: must be at most 128 characters/],
      ['/v1/replies/export?messageId=', /messageId: must not be empty/],
    ])('refuses %s with a 400 naming the parameter', async (path, message) => {
      const response = await gateway.request(path, { key: path.includes('admin') ? operator : a });
      expect(response).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
      expect((response.body as { message: string }).message).toMatch(message);
    });

    it('lists block-list entries and replies of one message, within the caller’s tenancy', async () => {
      const entriesOfA1 = await gateway.request('/v1/block-list?messageId=a-1', { key: a });
      expect((entriesOfA1.body as PageJson).data).toEqual([
        expect.objectContaining({ phone: P_EMPTY, messageId: 'a-1', ownedByYou: true }),
      ]);
      expect(
        ids((await gateway.request('/v1/block-list?messageId=a-2', { key: a })).body, 'entryId'),
      ).toEqual([]);
      // B names A's message: nothing (B owns no entry of it).
      expect(
        ids((await gateway.request('/v1/block-list?messageId=a-1', { key: b })).body, 'entryId'),
      ).toEqual([]);
      expect(
        (await gateway.request('/v1/admin/block-list?messageId=b-1', { key: operator })).body,
      ).toMatchObject({
        data: [{ phone: P_BLACKLIST, ownerAccountId: b.accountId, messageId: 'b-1' }],
      });

      expect(
        ids((await gateway.request('/v1/replies?messageId=a-1', { key: a })).body, 'replyId'),
      ).toEqual([`r-thanks-${suffix}`]);
      expect(
        ids((await gateway.request('/v1/replies?messageId=a-2', { key: a })).body, 'replyId'),
      ).toEqual([`r-stop-${suffix}`]);
      expect(
        ids((await gateway.request('/v1/replies?messageId=a-2', { key: b })).body, 'replyId'),
      ).toEqual([]);
      expect(
        ids(
          (
            await gateway.request(`/v1/admin/replies?accountId=${a.accountId}&messageId=a-1`, {
              key: operator,
            })
          ).body,
          'replyId',
        ),
      ).toEqual([`r-thanks-${suffix}`]);
    });

    it('answers a message with the block-list entry its failure created and its replies', async () => {
      const failed = await gateway.request('/v1/messages/a-1', { key: a });
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({
        messageId: 'a-1',
        status: 'send_failed',
        blockListEntry: {
          phone: P_EMPTY,
          messageId: 'a-1',
          reasonCode: 'empty',
          source: 'send_failure',
          ownedByYou: true,
        },
        replies: [{ replyId: `r-thanks-${suffix}`, messageId: 'a-1' }],
      });
      const delivered = await gateway.request('/v1/messages/a-2', { key: a });
      expect(delivered.body).toMatchObject({
        blockListEntry: null,
        replies: [{ replyId: `r-stop-${suffix}`, keywordAction: 'unsubscribe' }],
      });
      const quiet = await gateway.request('/v1/messages/a-3', { key: a });
      expect(quiet.body).toMatchObject({ blockListEntry: null, replies: [] });

      const forOperator = await gateway.request('/v1/admin/messages/b-1', { key: operator });
      expect(forOperator.body).toMatchObject({
        messageId: 'b-1',
        blockListEntry: { phone: P_BLACKLIST, ownerAccountId: b.accountId, scope: 'local' },
        replies: [],
      });
      expect(
        (await gateway.request('/v1/admin/messages/a-2', { key: operator })).body,
      ).toMatchObject({
        replies: [{ replyId: `r-stop-${suffix}` }],
      });
      // Another account's message stays a 404, links and all.
      expect(await gateway.request('/v1/messages/a-1', { key: b })).toMatchObject({ status: 404 });
    });
  });

  describe('operator message search', () => {
    it('finds messages of any account by every filter plus accountId, and one by id', async () => {
      const all = (await gateway.request('/v1/admin/messages?pageSize=500', { key: operator }))
        .body as PageJson;
      const ids = all.data.map((m) => m['messageId']);
      expect(ids).toEqual(expect.arrayContaining(['a-1', 'a-2', 'a-3', 'a-4', 'b-1', 'b-2']));
      const ofB = (
        await gateway.request(`/v1/admin/messages?accountId=${b.accountId}`, { key: operator })
      ).body as PageJson;
      expect(ofB.data.map((m) => m['messageId'])).toEqual(['b-1', 'b-2']);
      const byPhone = (
        await gateway.request(`/v1/admin/messages?phone=${enc(P_DELIVERED)}`, { key: operator })
      ).body as PageJson;
      expect(byPhone.data.map((m) => m['messageId']).sort()).toEqual(['a-2', 'b-2']);
      const failed = (
        await gateway.request('/v1/admin/messages?status=send_failed&reasonCode=520', {
          key: operator,
        })
      ).body as PageJson;
      expect(failed.data.map((m) => m['messageId'])).toEqual(['b-1']);

      const one = await gateway.request('/v1/admin/messages/b-1', { key: operator });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({
        messageId: 'b-1',
        accountId: b.accountId,
        status: 'send_failed',
        reasonCode: 'blacklist',
        sendFailureCode: 520,
        sendLog: expect.arrayContaining([expect.objectContaining({ kind: 'send_failed' })]),
      });
      const missing = await gateway.request('/v1/admin/messages/nope-1', { key: operator });
      expect(missing).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    });

    it('is for operators only and validates like the customer list', async () => {
      for (const path of ['/v1/admin/messages', '/v1/admin/messages/a-1']) {
        expect((await gateway.request(path, { key: a })).status).toBe(403);
      }
      // A customer cannot widen their own list to another account.
      const widened = await gateway.request(`/v1/messages?accountId=${b.accountId}`, { key: a });
      expect(widened).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
      const bad = await gateway.request('/v1/admin/messages?status=lost', { key: operator });
      expect(bad).toMatchObject({ status: 400, body: { error: 'INVALID_ARGUMENT' } });
    });
  });
});
