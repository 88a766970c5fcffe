import { MikroORM } from '@mikro-orm/core';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { toTimestamp } from '@sms/contracts';
import { createRedis } from '@sms/platform-redis';
import { freePort, testInfrastructure, waitFor } from '@sms/testing';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';
import { RecordingBackends } from './support/recording-backends';

// The gateway's edge against recording stand-ins of the back ends, with real PostgreSQL (keys)
// and Redis (rate limit): authentication, roles, validation, error mapping, request/response
// mapping and the OpenAPI document. Every refused request must reach no back end.

const PHONE = '+8613800138000';
const ts = (iso: string) => toTimestamp(new Date(iso));
const recent = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();

describe('gateway edge (real PostgreSQL and Redis, recording back ends)', () => {
  let backends: RecordingBackends;
  let gateway: GatewayUnderTest;
  let customer: TestKey;
  let operator: TestKey;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    gateway = await startGatewayUnderTest({
      STATUS_GRPC_TARGET: target,
      INTERCEPTION_GRPC_TARGET: target,
      REPLY_GRPC_TARGET: target,
      AUTH_CACHE_TTL_MS: '300',
    });
    customer = await gateway.newAccount('customer');
    operator = await gateway.newAccount('operator');
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  beforeEach(() => {
    backends.calls.length = 0;
  });

  const CUSTOMER_ROUTES: [string, string][] = [
    ['GET', '/v1/messages'],
    ['GET', '/v1/messages/m-1'],
    ['GET', '/v1/block-list'],
    ['GET', `/v1/block-list/check?phone=${encodeURIComponent(PHONE)}`],
    ['POST', '/v1/block-list'],
    ['GET', '/v1/block-list/e-1'],
    ['DELETE', '/v1/block-list/e-1'],
    ['GET', '/v1/unsubscribes'],
    ['POST', '/v1/unsubscribes'],
    ['DELETE', `/v1/unsubscribes/${encodeURIComponent(PHONE)}`],
    ['GET', '/v1/replies'],
  ];
  const OPERATOR_ROUTES: [string, string][] = [
    ['GET', '/v1/admin/block-list'],
    ['POST', '/v1/admin/block-list'],
    ['GET', '/v1/admin/block-list/e-1'],
    ['DELETE', '/v1/admin/block-list/e-1'],
    ['GET', '/v1/admin/replies?unattributed=true'],
    ['GET', '/v1/admin/dead-letters?source=send-failures'],
    ['GET', '/v1/admin/accounts'],
    ['GET', '/v1/admin/stats/messages?accountId=acc_1'],
  ];

  describe('authentication and roles', () => {
    it.each([...CUSTOMER_ROUTES, ...OPERATOR_ROUTES])(
      '%s %s without a key is 401 and calls nothing',
      async (method, path) => {
        const response = await gateway.request(path, { method, body: { phone: PHONE } });
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          error: 'UNAUTHENTICATED',
          message: expect.stringMatching(/missing API key/),
        });
        expect(response.headers.get('www-authenticate')).toMatch(/Basic/);
        expect(backends.calls).toHaveLength(0);
      },
    );

    it.each(CUSTOMER_ROUTES)('%s %s with an operator key is 403', async (method, path) => {
      const response = await gateway.request(path, {
        method,
        key: operator,
        body: { phone: PHONE },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        error: 'PERMISSION_DENIED',
        message: expect.stringMatching(/customer role/),
      });
      expect(backends.calls).toHaveLength(0);
    });

    it.each(OPERATOR_ROUTES)('%s %s with a customer key is 403', async (method, path) => {
      const response = await gateway.request(path, {
        method,
        key: customer,
        body: { phone: PHONE },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({
        error: 'PERMISSION_DENIED',
        message: expect.stringMatching(/operator role/),
      });
      expect(backends.calls).toHaveLength(0);
    });

    it.each([
      ['an unknown scheme', 'Token abc'],
      ['a bearer token without a dot', 'Bearer abc'],
      ['basic credentials that are not base64', 'Basic ***'],
      ['basic credentials without a colon', `Basic ${Buffer.from('abc').toString('base64')}`],
      ['an unknown key', 'Bearer key_000000000000000000000000.secret'],
    ])('refuses %s with 401', async (_label, authorization) => {
      const response = await gateway.request('/v1/messages', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'UNAUTHENTICATED' });
      expect(backends.calls).toHaveLength(0);
    });

    it('refuses a wrong secret of a real key with 401, in both header forms', async () => {
      for (const authorization of [
        `Bearer ${customer.keyId}.wrong-secret`,
        `Basic ${Buffer.from(`${customer.keyId}:wrong-secret`).toString('base64')}`,
      ]) {
        const response = await gateway.request('/v1/messages', { headers: { authorization } });
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          error: 'UNAUTHENTICATED',
          message: 'unknown API key or wrong secret',
        });
      }
      expect(backends.calls).toHaveLength(0);
    });

    it('accepts the Basic form as well as Bearer', async () => {
      backends.answer('listMessages', { messages: [], nextPageToken: '' });
      const response = await gateway.request('/v1/messages', {
        headers: { authorization: customer.basic },
      });
      expect(response.status).toBe(200);
      expect(backends.callsOf('listMessages')[0]?.request).toMatchObject({
        accountId: customer.accountId,
      });
    });

    it('refuses a revoked key with 401 within the cache lifetime', async () => {
      const key = await gateway.newKey(customer.accountId);
      backends.answer('listMessages', { messages: [], nextPageToken: '' });
      expect((await gateway.request('/v1/messages', { key })).status).toBe(200);
      await gateway.revoke(key.keyId);
      await waitFor(async () => (await gateway.request('/v1/messages', { key })).status === 401, {
        timeoutMs: 3000,
        description: 'the revocation to take effect',
      });
      const response = await gateway.request('/v1/messages', { key });
      expect(response.body).toEqual({
        error: 'UNAUTHENTICATED',
        message: 'this API key has been revoked',
      });
    });

    it('counts requests by route template in /metrics, never by raw path', async () => {
      await gateway.request('/v1/messages/some-secret-id', { key: operator });
      const metrics = String((await gateway.request('/metrics')).body);
      expect(metrics).toMatch(
        /gateway_http_requests_total\{[^}]*method="GET",route="\/v1\/messages\/:messageId",status="403"[^}]*\} \d+/,
      );
      expect(metrics).not.toContain('some-secret-id');
    });

    it('needs no key for health, metrics and the API documentation', async () => {
      expect((await gateway.request('/healthz')).status).toBe(200);
      expect((await gateway.request('/metrics')).status).toBe(200);
      expect((await gateway.request('/openapi.json')).status).toBe(200);
      expect((await gateway.request('/docs')).status).toBe(200);
    });
  });

  describe('validation at the edge (400 naming the parameter, no back-end call)', () => {
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    it.each([
      ['/v1/messages?phone=123', /query parameter phone: "123" is not a valid number/],
      ['/v1/messages?phone=abc', /query parameter phone: .*may contain only digits/],
      ['/v1/messages?templateId=', /query parameter templateId: must not be empty/],
      [
        '/v1/messages?templateType=promo',
        /query parameter templateType: must be one of verification, notification, marketing/,
      ],
      [
        `/v1/messages?label=${'x'.repeat(129)}`,
        /query parameter label: must be at most 128 characters/,
      ],
      ['/v1/messages?smsUser=', /query parameter smsUser: must not be empty/],
      [
        '/v1/messages?status=DELIVERED',
        /query parameter status: must be one or more of sending, wait_result, .*"DELIVERED" is not one/,
      ],
      ['/v1/messages?status=delivered,,sending', /query parameter status: .*an empty value/],
      [
        '/v1/messages?status=delivered,sending&reasonCode=empty',
        /query parameter reasonCode: "empty" is a send-failure reason; it cannot match status delivered,sending/,
      ],
      ['/v1/stats/messages?status=sent,delivered', /query parameter status: .*"sent" is not one/],
      ['/v1/block-list?messageId=', /query parameter messageId: must not be empty/],
      ['/v1/block-list/export?messageId=a%20b', /query parameter messageId: must contain only/],
      [
        `/v1/replies?messageId=${'m'.repeat(129)}`,
        /query parameter messageId: must be at most 128/,
      ],
      [
        '/v1/messages?reasonCode=lost',
        /query parameter reasonCode: must be a process-failed reason/,
      ],
      ['/v1/messages?reasonCode=505', /query parameter reasonCode: unknown send-failure code 505/],
      ['/v1/messages?reasonCode=other', /query parameter reasonCode: "other" is both/],
      [
        '/v1/messages?reasonCode=empty&status=process_failed',
        /query parameter reasonCode: "empty" is a send-failure reason/,
      ],
      [
        '/v1/messages?reasonCode=global_block&status=delivered',
        /query parameter reasonCode: "global_block" is a process-failed reason/,
      ],
      ['/v1/messages?from=yesterday', /query parameter from: must be an ISO 8601 date-time/],
      ['/v1/messages?to=2026-11-29', /query parameter to: must be an ISO 8601 date-time/],
      [`/v1/messages?from=${recent(1)}&to=${recent(2)}`, /query parameter from: must be before to/],
      [
        `/v1/messages?from=${old}`,
        /query parameter from: must not be before .* \(data is kept 30 days\)/,
      ],
      [`/v1/messages?to=${old}`, /query parameter to: must not be before/],
      ['/v1/messages?pageSize=0', /query parameter pageSize: must be at least 1/],
      ['/v1/messages?pageSize=501', /query parameter pageSize: must be at most 500/],
      [
        '/v1/messages?pageSize=ten',
        /query parameter pageSize: must be a whole number from 1 to 500/,
      ],
      ['/v1/messages?pageToken=', /query parameter pageToken: must not be empty/],
      ['/v1/messages?pageToken=a%20b', /query parameter pageToken: is not a page token/],
      [
        '/v1/messages?accountId=acc_other',
        /query parameter accountId is not supported \(supported: phone, templateId, templateType, label, smsUser, status, reasonCode, from, to, pageSize, pageToken\)/,
      ],
      ['/v1/messages?sort=asc&limit=3', /query parameters sort, limit are not supported/],
      [
        '/v1/messages?status=delivered&status=sending',
        /query parameter status: must be given once/,
      ],
      [
        `/v1/messages/${'m'.repeat(129)}`,
        /path parameter messageId: must be at most 128 characters/,
      ],
      [
        '/v1/block-list?reasonCode=lost',
        /query parameter reasonCode: must be a send-failure reason/,
      ],
      [
        '/v1/block-list?reasonCode=505',
        /query parameter reasonCode: must be a send-failure reason/,
      ],
      ['/v1/block-list?scope=world', /query parameter scope: must be one of global, local/],
      [
        '/v1/block-list?state=gone',
        /query parameter state: must be one of active, expired, deleted/,
      ],
      ['/v1/block-list?source=api', /query parameter source: must be one of send_failure, manual/],
      ['/v1/block-list?phone=+1', /query parameter phone:/],
      [`/v1/block-list?from=${old}`, /query parameter from: must not be before/],
      ['/v1/block-list?accountId=acc_other', /query parameter accountId is not supported/],
      ['/v1/block-list?pageSize=1000', /query parameter pageSize: must be at most 500/],
      ['/v1/block-list/check', /query parameter phone: is required/],
      ['/v1/block-list/check?phone=12', /query parameter phone:/],
      [
        `/v1/block-list/check?phone=${encodeURIComponent(PHONE)}&accountId=acc_other`,
        /query parameter accountId is not supported/,
      ],
      [
        '/v1/block-list/bad%20id',
        /path parameter entryId: must contain only visible ASCII characters/,
      ],
      ['/v1/unsubscribes?phone=x', /query parameter phone:/],
      ['/v1/unsubscribes?pageSize=-1', /query parameter pageSize/],
      ['/v1/unsubscribes?from=2026-11-01T00:00:00Z', /query parameter from is not supported/],
      ['/v1/replies?phone=1', /query parameter phone:/],
      ['/v1/replies?label=', /query parameter label: must not be empty/],
      ['/v1/replies?from=2026-13-01T00:00:00Z', /query parameter from: must be an ISO 8601/],
      [`/v1/replies?from=${old}`, /query parameter from: must not be before/],
      ['/v1/replies?unattributed=true', /query parameter unattributed is not supported/],
    ])('GET %s', async (path, message) => {
      const response = await gateway.request(path, { key: customer });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
      expect(backends.calls).toHaveLength(0);
    });

    it.each([
      ['/v1/admin/block-list?reasonCode=nope', /query parameter reasonCode/],
      ['/v1/admin/block-list?accountId=', /query parameter accountId: must not be empty/],
      ['/v1/admin/replies', /give exactly one of unattributed=true or accountId/],
      ['/v1/admin/replies?unattributed=false', /query parameter unattributed: must be true/],
      ['/v1/admin/replies?unattributed=true&accountId=acc_1', /give exactly one/],
      ['/v1/admin/replies?unattributed=true&pageSize=0', /query parameter pageSize/],
      ['/v1/admin/dead-letters', /query parameter source/],
      ['/v1/admin/dead-letters?source=all', /must be one of send-failures, keyword-effects/],
      ['/v1/admin/stats/messages', /query parameter accountId/],
      ['/v1/admin/stats/messages?accountId=', /query parameter accountId: must not be empty/],
      ['/v1/admin/stats/messages?accountId=acc_1&groupBy=week', /query parameter groupBy/],
    ])('GET %s (operator)', async (path, message) => {
      const response = await gateway.request(path, { key: operator });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
      expect(backends.calls).toHaveLength(0);
    });

    const future = new Date(Date.now() + 86_400_000).toISOString();
    it.each([
      ['/v1/block-list', {}, /body field phone: is required/],
      ['/v1/block-list', { phone: 8613800138000 }, /body field phone: must be a string/],
      ['/v1/block-list', { phone: '123' }, /body field phone: "123" is not a valid number/],
      ['/v1/block-list', { phone: PHONE, scope: 'global' }, /body field scope is not supported/],
      [
        '/v1/block-list',
        { phone: PHONE, accountId: 'acc_x' },
        /body field accountId is not supported/,
      ],
      [
        '/v1/block-list',
        { phone: PHONE, reasonText: 'x'.repeat(201) },
        /body field reasonText: must be at most 200/,
      ],
      [
        '/v1/block-list',
        { phone: PHONE, expiresAt: '2020-01-01T00:00:00Z' },
        /body field expiresAt: must be in the future/,
      ],
      [
        '/v1/block-list',
        { phone: PHONE, expiresAt: 'tomorrow' },
        /body field expiresAt: must be an ISO 8601/,
      ],
      ['/v1/block-list', [{ phone: PHONE }], /request body must be a JSON object/],
      ['/v1/unsubscribes', {}, /body field phone: is required/],
      ['/v1/unsubscribes', { phone: PHONE, source: 'reply' }, /body field source is not supported/],
      ['/v1/unsubscribes', { phone: 'abc' }, /body field phone:/],
    ])('POST %s %j', async (path, body, message) => {
      const response = await gateway.request(path, { key: customer, method: 'POST', body });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
      expect(backends.calls).toHaveLength(0);
    });

    it('refuses an operator global entry without a phone or with an unknown field', async () => {
      for (const body of [
        { reasonText: 'fraud' },
        { phone: PHONE, expiresAt: future, scope: 'local' },
      ]) {
        const response = await gateway.request('/v1/admin/block-list', {
          key: operator,
          method: 'POST',
          body,
        });
        expect(response.status).toBe(400);
      }
      expect(backends.calls).toHaveLength(0);
    });

    it('refuses malformed JSON, a non-JSON body and a body over the limit', async () => {
      const malformed = await gateway.request('/v1/unsubscribes', {
        key: customer,
        method: 'POST',
        body: '{"phone":',
      });
      expect(malformed).toMatchObject({
        status: 400,
        body: { error: 'INVALID_ARGUMENT', message: 'request body is not valid JSON' },
      });

      const form = await gateway.request('/v1/unsubscribes', {
        key: customer,
        method: 'POST',
        body: 'phone=%2B8613800138000',
        headers: { 'content-type': 'text/plain' },
      });
      expect(form).toMatchObject({
        status: 415,
        body: { error: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/must be JSON/) },
      });

      const large = await gateway.request('/v1/block-list', {
        key: customer,
        method: 'POST',
        body: { phone: PHONE, reasonText: 'x'.repeat(20_000) },
      });
      expect(large).toMatchObject({
        status: 413,
        body: { error: 'PAYLOAD_TOO_LARGE', message: 'request body must be at most 16384 bytes' },
      });
      expect(backends.calls).toHaveLength(0);
    });

    it('refuses a bad phone in the unsubscribe path', async () => {
      const response = await gateway.request('/v1/unsubscribes/12345', {
        key: customer,
        method: 'DELETE',
      });
      expect(response).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/path parameter phone: "12345"/) },
      });
      expect(backends.calls).toHaveLength(0);
    });

    it('answers unknown routes with the JSON error shape', async () => {
      const response = await gateway.request('/v2/messages', { key: customer });
      expect(response).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    });
  });

  describe('mapping to and from the back ends', () => {
    const message = {
      messageId: 'm-1',
      accountId: '',
      smsUser: 'alice',
      recipient: PHONE,
      entries: 2,
      templateId: 'tpl-1',
      templateType: 'TEMPLATE_TYPE_NOTIFICATION',
      labels: ['promo'],
      channel: 'ch-1',
      operator: '',
      status: 'MESSAGE_STATUS_SEND_FAILED',
      processFailedReason: 'PROCESS_FAILED_REASON_UNSPECIFIED',
      sendFailureCode: 'SEND_FAILURE_CODE_EMPTY',
      reasonDetail: 'UNDELIV',
      requestTime: ts('2026-11-29T10:00:00.000Z'),
      channelSendTime: ts('2026-11-29T10:00:01.000Z'),
      receiptTime: ts('2026-11-29T10:00:05.000Z'),
      updateTime: ts('2026-11-29T10:00:05.000Z'),
      sendLog: [
        {
          occurredAt: ts('2026-11-29T10:00:00.000Z'),
          recordedAt: ts('2026-11-29T10:00:00.100Z'),
          kind: 'EVENT_KIND_ACCEPTED',
          result: 'EVENT_RESULT_APPLIED',
          detail: '',
          statusAfter: 'MESSAGE_STATUS_SENDING',
        },
      ],
    };

    it('lists messages with every filter, the account taken from the key', async () => {
      backends.answer('listMessages', {
        messages: [{ ...message, accountId: customer.accountId }],
        nextPageToken: 'next-1',
      });
      const from = recent(5);
      const to = recent(1);
      const response = await gateway.request(
        `/v1/messages?phone=8613800138000&templateId=tpl-1&templateType=notification&label=promo&smsUser=alice&status=send_failed&reasonCode=other&from=${from}&to=${to}&pageSize=10&pageToken=tok`,
        { key: customer },
      );
      expect(response.status).toBe(200);
      expect(backends.callsOf('listMessages')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        phone: PHONE,
        templateId: 'tpl-1',
        templateType: 'TEMPLATE_TYPE_NOTIFICATION',
        label: 'promo',
        smsUser: 'alice',
        status: 'MESSAGE_STATUS_SEND_FAILED',
        processFailedReason: 'PROCESS_FAILED_REASON_UNSPECIFIED',
        sendFailureCode: 'SEND_FAILURE_CODE_OTHER',
        from: toTimestamp(new Date(from)),
        to: toTimestamp(new Date(to)),
        pageSize: 10,
        pageToken: 'tok',
      });
      expect(response.body).toEqual({
        data: [
          {
            messageId: 'm-1',
            accountId: customer.accountId,
            smsUser: 'alice',
            recipient: PHONE,
            entries: 2,
            templateId: 'tpl-1',
            templateType: 'notification',
            labels: ['promo'],
            channel: 'ch-1',
            operator: null,
            status: 'send_failed',
            reasonCode: 'empty',
            reasonText: 'number does not exist',
            sendFailureCode: 500,
            reasonDetail: 'UNDELIV',
            requestTime: '2026-11-29T10:00:00.000Z',
            channelSendTime: '2026-11-29T10:00:01.000Z',
            receiptTime: '2026-11-29T10:00:05.000Z',
            updateTime: '2026-11-29T10:00:05.000Z',
          },
        ],
        nextPageToken: 'next-1',
      });
    });

    it('sends one status in status, several in statuses, and messageId to the lists', async () => {
      backends.answer('listMessages', { messages: [], nextPageToken: '' });
      await gateway.request('/v1/messages?status=delivered', { key: customer });
      await gateway.request('/v1/messages?status=send_failed,process_failed,send_failed', {
        key: customer,
      });
      expect(
        backends
          .callsOf('listMessages')
          .map((call) => [call.request['status'], call.request['statuses']]),
      ).toEqual([
        ['MESSAGE_STATUS_DELIVERED', []],
        [
          'MESSAGE_STATUS_UNSPECIFIED',
          ['MESSAGE_STATUS_SEND_FAILED', 'MESSAGE_STATUS_PROCESS_FAILED'],
        ],
      ]);
      backends.answer('listEntries', { entries: [], nextPageToken: '' });
      backends.answer('listReplies', { replies: [], nextPageToken: '' });
      await gateway.request('/v1/block-list?messageId=m-7', { key: customer });
      await gateway.request('/v1/replies?messageId=m-7', { key: customer });
      expect(backends.callsOf('listEntries')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        messageId: 'm-7',
      });
      expect(backends.callsOf('listReplies')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        messageId: 'm-7',
      });
    });

    it('maps reason words and codes to the right proto filter', async () => {
      backends.answer('listMessages', { messages: [], nextPageToken: '' });
      await gateway.request('/v1/messages?reasonCode=global_block', { key: customer });
      await gateway.request('/v1/messages?reasonCode=570', { key: customer });
      await gateway.request('/v1/messages?reasonCode=other&status=process_failed', {
        key: customer,
      });
      const requests = backends.callsOf('listMessages').map((call) => call.request);
      expect(requests.map((r) => [r['processFailedReason'], r['sendFailureCode']])).toEqual([
        ['PROCESS_FAILED_REASON_GLOBAL_BLOCK', 'SEND_FAILURE_CODE_UNSPECIFIED'],
        ['PROCESS_FAILED_REASON_UNSPECIFIED', 'SEND_FAILURE_CODE_NOT_IN_SERVICE'],
        ['PROCESS_FAILED_REASON_OTHER', 'SEND_FAILURE_CODE_UNSPECIFIED'],
      ]);
      expect(requests.every((r) => r['accountId'] === customer.accountId)).toBe(true);
    });

    it('reads one message with its send log; another account’s message is 404', async () => {
      backends.answer('getMessage', { message: { ...message, accountId: customer.accountId } });
      const own = await gateway.request('/v1/messages/m-1', { key: customer });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        messageId: 'm-1',
        sendLog: [
          {
            occurredAt: '2026-11-29T10:00:00.000Z',
            recordedAt: '2026-11-29T10:00:00.100Z',
            kind: 'accepted',
            result: 'applied',
            detail: '',
            statusAfter: 'sending',
          },
        ],
      });
      expect(backends.callsOf('getMessage')[0]?.request).toEqual({
        accountId: customer.accountId,
        messageId: 'm-1',
      });

      backends.answer('getMessage', { message: { ...message, accountId: 'acc_someone_else' } });
      expect(await gateway.request('/v1/messages/m-1', { key: customer })).toMatchObject({
        status: 404,
        body: { error: 'NOT_FOUND', message: 'message m-1 not found' },
      });
    });

    const entry = {
      entryId: 'e-1',
      phone: PHONE,
      scope: 'SCOPE_GLOBAL',
      ownerAccountId: 'acc_other',
      source: 'ENTRY_SOURCE_SEND_FAILURE',
      sendFailureCode: 'SEND_FAILURE_CODE_EMPTY',
      reason: 'number does not exist',
      detail: 'UNDELIV',
      messageId: 'm-other',
      interceptedAt: ts('2026-11-29T10:00:00.000Z'),
      expiresAt: ts('2026-12-29T10:00:00.000Z'),
      state: 'ENTRY_STATE_ACTIVE',
      deletedBy: '',
      deletedAt: null,
      createdAt: ts('2026-11-29T10:00:00.000Z'),
      updatedAt: ts('2026-11-29T10:00:00.000Z'),
    };

    it('checks a number without revealing another customer behind a global entry', async () => {
      backends.answer('check', {
        phone: PHONE,
        verdict: 'VERDICT_GLOBAL_BLOCK',
        entry,
        unsubscribe: null,
      });
      const response = await gateway.request(
        '/v1/block-list/check?phone=%2B86%20138%200013%208000',
        { key: customer },
      );
      expect(backends.callsOf('check')[0]?.request).toEqual({
        accountId: customer.accountId,
        phone: PHONE,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        phone: PHONE,
        verdict: 'global_block',
        entry: {
          entryId: 'e-1',
          phone: PHONE,
          scope: 'global',
          ownedByYou: false,
          ownerAccountId: null,
          source: 'send_failure',
          reasonCode: 'empty',
          reasonText: 'number does not exist',
          sendFailureCode: 500,
          reasonDetail: null,
          messageId: null,
          interceptedAt: '2026-11-29T10:00:00.000Z',
          expiresAt: '2026-12-29T10:00:00.000Z',
          state: 'active',
          deletedBy: null,
          deletedAt: null,
          createdAt: '2026-11-29T10:00:00.000Z',
          updatedAt: '2026-11-29T10:00:00.000Z',
        },
        unsubscribe: null,
      });
      expect(JSON.stringify(response.body)).not.toContain('acc_other');
      expect(JSON.stringify(response.body)).not.toContain('m-other');
    });

    it('shows the caller its own entries in full and lists with filters', async () => {
      backends.answer('listEntries', {
        entries: [{ ...entry, ownerAccountId: customer.accountId, scope: 'SCOPE_LOCAL' }],
        nextPageToken: '',
      });
      const response = await gateway.request(
        '/v1/block-list?reasonCode=500&scope=local&state=active&source=send_failure&phone=8613800138000',
        {
          key: customer,
        },
      );
      expect(response.body).toMatchObject({
        data: [
          {
            ownedByYou: true,
            ownerAccountId: customer.accountId,
            messageId: 'm-other',
            reasonDetail: 'UNDELIV',
          },
        ],
        nextPageToken: null,
      });
      expect(backends.callsOf('listEntries')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        asOperator: false,
        phone: PHONE,
        sendFailureCode: 'SEND_FAILURE_CODE_EMPTY',
        scope: 'SCOPE_LOCAL',
        state: 'ENTRY_STATE_ACTIVE',
        source: 'ENTRY_SOURCE_SEND_FAILURE',
      });
    });

    it('hides another customer’s local entry even if a back end returned it', async () => {
      backends.answer('getEntry', { entry: { ...entry, scope: 'SCOPE_LOCAL' } });
      expect(await gateway.request('/v1/block-list/e-1', { key: customer })).toMatchObject({
        status: 404,
      });
      backends.answer('getEntry', { entry });
      expect(await gateway.request('/v1/block-list/e-1', { key: customer })).toMatchObject({
        status: 200,
        body: { ownerAccountId: null, ownedByYou: false },
      });
    });

    it('adds a manual local entry for the caller only', async () => {
      backends.answer('addEntry', {
        entry: {
          ...entry,
          scope: 'SCOPE_LOCAL',
          ownerAccountId: customer.accountId,
          source: 'ENTRY_SOURCE_MANUAL',
          sendFailureCode: 'SEND_FAILURE_CODE_UNSPECIFIED',
          expiresAt: null,
        },
      });
      const expiresAt = new Date(Date.now() + 86_400_000);
      const response = await gateway.request('/v1/block-list', {
        key: customer,
        method: 'POST',
        body: {
          phone: '8613800138000',
          reasonText: 'asked us',
          expiresAt: expiresAt.toISOString(),
        },
      });
      expect(response).toMatchObject({
        status: 201,
        body: {
          scope: 'local',
          source: 'manual',
          reasonCode: null,
          sendFailureCode: null,
          expiresAt: null,
        },
      });
      expect(backends.callsOf('addEntry')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        asOperator: false,
        phone: PHONE,
        scope: 'SCOPE_LOCAL',
        reason: 'asked us',
        expiresAt: toTimestamp(expiresAt),
        actor: customer.keyId,
      });
    });

    it('answers 403 with the customer-service message for someone else’s entry', async () => {
      backends.answer('deleteEntry', {
        grpcError: { code: GrpcStatus.PERMISSION_DENIED, details: 'not the owner' },
      });
      const response = await gateway.request('/v1/block-list/e-1', {
        key: customer,
        method: 'DELETE',
      });
      expect(response).toEqual(
        expect.objectContaining({
          status: 403,
          body: {
            error: 'PERMISSION_DENIED',
            message: expect.stringMatching(/contact customer service/),
          },
        }),
      );
      expect(backends.callsOf('deleteEntry')[0]?.request).toEqual({
        accountId: customer.accountId,
        asOperator: false,
        entryId: 'e-1',
        actor: customer.keyId,
      });
    });

    it.each([
      [GrpcStatus.NOT_FOUND, 404, 'NOT_FOUND', 'entry e-1 not found'],
      [
        GrpcStatus.INVALID_ARGUMENT,
        400,
        'INVALID_ARGUMENT',
        'page_token does not belong to this query',
      ],
      [GrpcStatus.FAILED_PRECONDITION, 409, 'FAILED_PRECONDITION', 'entry already deleted'],
      [GrpcStatus.RESOURCE_EXHAUSTED, 429, 'RESOURCE_EXHAUSTED', 'slow down'],
      [
        GrpcStatus.UNAVAILABLE,
        503,
        'UNAVAILABLE',
        'a back-end service is unavailable; retry shortly',
      ],
      [
        GrpcStatus.DEADLINE_EXCEEDED,
        504,
        'DEADLINE_EXCEEDED',
        'a back-end service did not answer in time',
      ],
      [GrpcStatus.INTERNAL, 500, 'INTERNAL', 'internal error'],
    ])('maps gRPC status %i to HTTP %i', async (code, status, error, message) => {
      backends.answer('listEntries', {
        grpcError: { code, details: message === 'internal error' ? 'stack trace' : message },
      });
      const response = await gateway.request('/v1/block-list', { key: customer });
      expect(response).toMatchObject({ status, body: { error, message } });
      if (status === 503 || status === 429) expect(response.headers.get('retry-after')).toBe('1');
    });

    it('operators list, add global entries and delete any entry', async () => {
      backends.answer('listEntries', { entries: [entry], nextPageToken: 'n' });
      const list = await gateway.request('/v1/admin/block-list?accountId=acc_other&state=active', {
        key: operator,
      });
      expect(list).toMatchObject({
        status: 200,
        body: { data: [{ ownerAccountId: 'acc_other', messageId: 'm-other' }], nextPageToken: 'n' },
      });
      expect(backends.callsOf('listEntries')[0]?.request).toMatchObject({
        accountId: 'acc_other',
        asOperator: true,
      });

      backends.answer('addEntry', {
        entry: { ...entry, ownerAccountId: '', source: 'ENTRY_SOURCE_MANUAL' },
      });
      const added = await gateway.request('/v1/admin/block-list', {
        key: operator,
        method: 'POST',
        body: { phone: PHONE, reasonText: 'fraud' },
      });
      expect(added).toMatchObject({ status: 201, body: { scope: 'global', ownerAccountId: null } });
      expect(backends.callsOf('addEntry')[0]?.request).toMatchObject({
        accountId: '',
        asOperator: true,
        scope: 'SCOPE_GLOBAL',
        reason: 'fraud',
        actor: operator.keyId,
      });

      backends.answer('deleteEntry', {
        entry: { ...entry, state: 'ENTRY_STATE_DELETED', deletedBy: operator.keyId },
      });
      const deleted = await gateway.request('/v1/admin/block-list/e-1', {
        key: operator,
        method: 'DELETE',
      });
      expect(deleted).toMatchObject({
        status: 200,
        body: { state: 'deleted', deletedBy: operator.keyId },
      });
      expect(backends.callsOf('deleteEntry')[0]?.request).toMatchObject({
        asOperator: true,
        entryId: 'e-1',
      });

      backends.answer('getEntry', { entry });
      expect(await gateway.request('/v1/admin/block-list/e-1', { key: operator })).toMatchObject({
        status: 200,
        body: { ownerAccountId: 'acc_other' },
      });
    });

    it('adds, lists and removes unsubscribes of the caller', async () => {
      const record = {
        accountId: customer.accountId,
        phone: PHONE,
        since: ts('2026-11-29T10:00:00.000Z'),
        source: 'UNSUBSCRIBE_SOURCE_API',
        replyId: '',
      };
      backends.answer('addUnsubscribe', { unsubscribe: record, created: true });
      const added = await gateway.request('/v1/unsubscribes', {
        key: customer,
        method: 'POST',
        body: { phone: '+86 138 0013 8000' },
      });
      expect(added).toEqual(
        expect.objectContaining({
          status: 201,
          body: { phone: PHONE, since: '2026-11-29T10:00:00.000Z', source: 'api', replyId: null },
        }),
      );
      backends.answer('addUnsubscribe', { unsubscribe: record, created: false });
      expect(
        (
          await gateway.request('/v1/unsubscribes', {
            key: customer,
            method: 'POST',
            body: { phone: PHONE },
          })
        ).status,
      ).toBe(200);
      expect(backends.callsOf('addUnsubscribe')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        phone: PHONE,
        source: 'UNSUBSCRIBE_SOURCE_API',
      });

      backends.answer('listUnsubscribes', { unsubscribes: [record], nextPageToken: '' });
      const list = await gateway.request('/v1/unsubscribes?pageSize=5', { key: customer });
      expect(list).toMatchObject({
        status: 200,
        body: { data: [{ phone: PHONE, source: 'api' }], nextPageToken: null },
      });
      expect(backends.callsOf('listUnsubscribes')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        pageSize: 5,
      });

      backends.answer('removeUnsubscribe', { removed: true });
      const removed = await gateway.request('/v1/unsubscribes/%2B8613800138000', {
        key: customer,
        method: 'DELETE',
      });
      expect(removed).toMatchObject({ status: 200, body: { phone: PHONE, removed: true } });
      expect(backends.callsOf('removeUnsubscribe')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        phone: PHONE,
      });
    });

    it('lists replies of the caller and unattributed replies for operators', async () => {
      const reply = {
        replyId: 'r-1',
        phone: PHONE,
        content: 'STOP',
        receivedAt: ts('2026-11-29T10:00:00.000Z'),
        operator: 'cmcc',
        channel: 'ch-1',
        accountId: customer.accountId,
        messageId: 'm-1',
        templateId: 'tpl-1',
        labels: ['promo'],
        smsUser: 'alice',
        attribution: 'ATTRIBUTION_LATEST_MESSAGE',
        keywordAction: 'KEYWORD_ACTION_UNSUBSCRIBE',
      };
      backends.answer('listReplies', { replies: [reply], nextPageToken: '' });
      const from = recent(3);
      const response = await gateway.request(
        `/v1/replies?phone=${encodeURIComponent(PHONE)}&templateId=tpl-1&label=promo&from=${from}`,
        { key: customer },
      );
      expect(response.body).toEqual({
        data: [
          {
            ...reply,
            receivedAt: '2026-11-29T10:00:00.000Z',
            attribution: 'latest_message',
            keywordAction: 'unsubscribe',
          },
        ],
        nextPageToken: null,
      });
      expect(backends.callsOf('listReplies')[0]?.request).toMatchObject({
        accountId: customer.accountId,
        asOperator: false,
        phone: PHONE,
        templateId: 'tpl-1',
        label: 'promo',
        from: toTimestamp(new Date(from)),
      });

      await gateway.request('/v1/admin/replies?unattributed=true', { key: operator });
      expect(backends.callsOf('listReplies')[1]?.request).toMatchObject({
        accountId: '',
        asOperator: true,
      });
      await gateway.request('/v1/admin/replies?accountId=acc_1', { key: operator });
      expect(backends.callsOf('listReplies')[2]?.request).toMatchObject({
        accountId: 'acc_1',
        asOperator: true,
      });
    });

    it('lists every account, with its name, for operators', async () => {
      const response = await gateway.request('/v1/admin/accounts', { key: operator });
      expect(response.status).toBe(200);
      const { data } = response.body as {
        data: { accountId: string; name: string; createdAt: string }[];
      };
      // The schema is this file's own: exactly the two accounts made in beforeAll, oldest first.
      expect(data.map((account) => account.accountId)).toEqual([
        customer.accountId,
        operator.accountId,
      ]);
      for (const account of data) {
        expect(account.name).toMatch(/^account /);
        expect(Number.isNaN(Date.parse(account.createdAt))).toBe(false);
      }
      expect(backends.calls).toHaveLength(0);
    });

    it('lists dead letters of either source for operators', async () => {
      const letter = {
        kind: 'record_failure',
        key: 'm-1/500',
        accountId: 'acc_1',
        phone: PHONE,
        error: 'phone: not a number',
        createdAt: toTimestamp(new Date('2026-11-29T10:00:00Z')),
        failedAt: toTimestamp(new Date('2026-11-29T10:00:01Z')),
      };
      backends.answer('listDeadLetters', { deadLetters: [letter], nextPageToken: 'next' });
      const response = await gateway.request('/v1/admin/dead-letters?source=send-failures', {
        key: operator,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: [
          {
            kind: letter.kind,
            key: letter.key,
            accountId: letter.accountId,
            phone: letter.phone,
            eventType: null,
            reasonText: letter.error,
            createdAt: '2026-11-29T10:00:00.000Z',
            failedAt: '2026-11-29T10:00:01.000Z',
          },
        ],
        nextPageToken: 'next',
      });
      await gateway.request('/v1/admin/dead-letters?source=keyword-effects&pageSize=5', {
        key: operator,
      });
      for (const source of ['message-status-events', 'reply-events', 'block-list-events']) {
        await gateway.request(`/v1/admin/dead-letters?source=${source}&pageToken=t`, {
          key: operator,
        });
      }
      expect(
        backends.callsOf('listDeadLetters').map((call) => [call.service, call.request]),
      ).toEqual([
        ['status', { pageSize: 0, pageToken: '', kind: '' }],
        ['reply', { pageSize: 5, pageToken: '', kind: '' }],
        ['status', { pageSize: 0, pageToken: 't', kind: 'webhook_event' }],
        ['reply', { pageSize: 0, pageToken: 't', kind: 'webhook_event' }],
        ['interception', { pageSize: 0, pageToken: 't' }],
      ]);
    });

    it('shows a webhook event the dispatcher refused as a dead letter with its type', async () => {
      backends.answer('listDeadLetters', {
        deadLetters: [
          {
            kind: 'webhook_event',
            key: 'blkent_1',
            accountId: 'acc_1',
            phone: '',
            error: 'data_json is not a JSON object',
            createdAt: toTimestamp(new Date('2026-11-29T10:00:00Z')),
            failedAt: toTimestamp(new Date('2026-11-29T10:00:01Z')),
            eventType: 'block_list.entry_created',
          },
        ],
        nextPageToken: '',
      });
      const response = await gateway.request('/v1/admin/dead-letters?source=block-list-events', {
        key: operator,
      });
      expect(response.body).toEqual({
        data: [
          expect.objectContaining({
            kind: 'webhook_event',
            key: 'blkent_1',
            eventType: 'block_list.entry_created',
            phone: null,
            reasonText: 'data_json is not a JSON object',
          }),
        ],
        nextPageToken: null,
      });
    });
  });

  describe('OpenAPI', () => {
    it('documents every endpoint with its parameters and errors', async () => {
      const { body } = await gateway.request('/openapi.json');
      const document = body as {
        paths: Record<
          string,
          Record<
            string,
            {
              parameters?: { name: string }[];
              responses: Record<string, unknown>;
              security?: unknown[];
            }
          >
        >;
      };
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );
      const routes = operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`);
      for (const [method, path] of [...CUSTOMER_ROUTES, ...OPERATOR_ROUTES]) {
        const documented = path
          .split('?')[0]
          .replace(/\/m-1$/, '/{messageId}')
          .replace(/\/e-1$/, '/{entryId}')
          .replace(/\/%2B\d+$/, '/{phone}');
        expect(routes).toContain(`${method} ${documented}`);
      }
      for (const { path, method, operation } of operations.filter((o) =>
        o.path.startsWith('/v1/'),
      )) {
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining(['400', '401', '403', '429', '503']),
        );
        // Signing in is the one /v1 operation that needs no credentials.
        if (!(path === '/v1/session' && method === 'post'))
          expect(operation.security).toBeDefined();
        if (path === '/v1/messages') {
          expect(operation.parameters?.map((p) => p.name)).toEqual([
            'phone',
            'templateId',
            'templateType',
            'label',
            'smsUser',
            'status',
            'reasonCode',
            'from',
            'to',
            'pageSize',
            'pageToken',
          ]);
        }
      }
    });
  });
});

describe('gateway rate limit (real Redis)', () => {
  let gateway: GatewayUnderTest;
  let backends: RecordingBackends;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    backends.answer('listUnsubscribes', { unsubscribes: [], nextPageToken: '' });
    gateway = await startGatewayUnderTest({
      INTERCEPTION_GRPC_TARGET: target,
      RATE_LIMIT_PER_MINUTE: '3',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  it('answers 429 with Retry-After past the limit, per key, counted under the gateway prefix', async () => {
    const first = await gateway.newAccount();
    const second = await gateway.newKey(first.accountId);
    // A window boundary in the middle would reset the count: wait for a fresh window if close.
    const msIntoWindow = Date.now() % 60_000;
    if (msIntoWindow > 55_000)
      await waitFor(() => Date.now() % 60_000 < 5_000, { timeoutMs: 10_000, intervalMs: 100 });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<GatewayUnderTest['request']>> | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await gateway.request('/v1/unsubscribes', { key: first });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.body).toEqual({
      error: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/rate limit of 3 requests per minute/),
    });
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(backends.callsOf('listUnsubscribes')).toHaveLength(3);

    const other = await gateway.request('/v1/unsubscribes', { key: second });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('2');

    const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'gateway-test' });
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(
          cursor,
          'MATCH',
          `{${gateway.redisPrefix}:gateway}:rate:*`,
          'COUNT',
          1000,
        );
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      const counted = keys.map((key) => key.split(':rate:')[1]?.split(':')[0]).sort();
      expect(counted).toEqual([first.keyId, second.keyId].sort());
      // The window's first request set the expiry (two windows); no count outlives it.
      for (const key of keys) {
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(60_000);
        expect(ttl).toBeLessThanOrEqual(120_000);
      }
    } finally {
      await redis.quit();
    }
  });
});

describe('gateway rate limit when Redis is unreachable', () => {
  let gateway: GatewayUnderTest;
  let backends: RecordingBackends;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    backends.answer('listUnsubscribes', { unsubscribes: [], nextPageToken: '' });
    gateway = await startGatewayUnderTest({
      INTERCEPTION_GRPC_TARGET: target,
      // Nothing listens there: the rate-limit store is down.
      REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`,
      RATE_LIMIT_PER_MINUTE: '1',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  it('lets requests through and counts them, instead of failing the API', async () => {
    const key = await gateway.newAccount();
    for (let i = 0; i < 2; i += 1) {
      expect((await gateway.request('/v1/unsubscribes', { key })).status).toBe(200);
    }
    const metrics = String((await gateway.request('/metrics')).body);
    expect(metrics).toMatch(/gateway_rate_limit_unavailable_total\{[^}]*\} 2/);
  });
});

describe('gateway key cache (real PostgreSQL)', () => {
  let gateway: GatewayUnderTest;
  let backends: RecordingBackends;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    backends.answer('listUnsubscribes', { unsubscribes: [], nextPageToken: '' });
    gateway = await startGatewayUnderTest({
      INTERCEPTION_GRPC_TARGET: target,
      AUTH_CACHE_TTL_MS: '60000',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  it('authenticates a known key from memory, not with a database query per request', async () => {
    const key = await gateway.newAccount();
    expect((await gateway.request('/v1/unsubscribes', { key })).status).toBe(200);
    // Remove the key behind the gateway's back: within the TTL the cached record still answers,
    // and it still checks the secret.
    const orm = gateway.app.get(MikroORM);
    await orm.em.fork().getConnection().execute('delete from api_key where id = ?', [key.keyId]);
    expect((await gateway.request('/v1/unsubscribes', { key })).status).toBe(200);
    const wrongSecret = await gateway.request('/v1/unsubscribes', {
      headers: { authorization: `Bearer ${key.keyId}.not-the-secret` },
    });
    expect(wrongSecret.status).toBe(401);
  });
});
