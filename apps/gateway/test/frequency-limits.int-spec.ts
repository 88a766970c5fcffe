import { startWorkspaceService, type WorkspaceService } from '@sms/testing';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';

// The frequency-limit endpoints in front of the REAL interception-service process: each customer
// reads and changes its own account's limits only; the platform default and other accounts'
// limits are for operators.

type Window = { windowSeconds: number; limit: number };
type LimitsJson = {
  template: Window[];
  account: Window[];
  source: string;
  updatedAt: string | null;
  updatedBy: string | null;
};

const CONFIGURED = {
  template: [
    { windowSeconds: 60, limit: 1 },
    { windowSeconds: 3600, limit: 5 },
    { windowSeconds: 86_400, limit: 10 },
  ],
  account: [{ windowSeconds: 86_400, limit: 20 }],
  source: 'configuration',
  updatedAt: null,
  updatedBy: null,
};
/** An account without limits of its own: the configured default, which is also the platform's. */
const DEFAULT_CONFIGURED = { ...CONFIGURED, platformDefault: CONFIGURED };

describe('frequency limits through the gateway (real interception-service)', () => {
  let interception: WorkspaceService;
  let gateway: GatewayUnderTest;
  let a: TestKey;
  let b: TestKey;
  let operator: TestKey;

  beforeAll(async () => {
    interception = await startWorkspaceService({
      app: 'interception-service',
      label: 'gw-freq',
      grpcService: 'sms.interception.v1.InterceptionService',
    });
    gateway = await startGatewayUnderTest({ INTERCEPTION_GRPC_TARGET: interception.target });
    a = await gateway.newAccount('customer');
    b = await gateway.newAccount('customer');
    operator = await gateway.newAccount('operator');
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    await interception?.stop();
  });

  const limitsOf = async (key: TestKey, path = '/v1/frequency-limits') => {
    const response = await gateway.request(path, { key });
    expect(response.status).toBe(200);
    return response.body as LimitsJson;
  };

  it("sets, reads and resets a customer's own limits; another customer is untouched", async () => {
    expect(await limitsOf(a)).toEqual(DEFAULT_CONFIGURED);
    const set = await gateway.request('/v1/frequency-limits', {
      key: a,
      method: 'PUT',
      body: {
        template: [
          { windowSeconds: 3600, limit: 3 },
          { windowSeconds: 60, limit: 2 },
        ],
        account: [],
      },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      template: [
        { windowSeconds: 60, limit: 2 },
        { windowSeconds: 3600, limit: 3 },
      ],
      account: [],
      source: 'account',
      updatedBy: a.keyId,
    });
    expect((set.body as LimitsJson).updatedAt).toEqual(expect.any(String));
    expect(await limitsOf(a)).toEqual(set.body);
    // B sees the default, not A's limits, and has no way to name A's account.
    expect(await limitsOf(b)).toEqual(DEFAULT_CONFIGURED);
    const sneaky = await gateway.request(`/v1/frequency-limits?accountId=${a.accountId}`, {
      key: b,
    });
    expect(sneaky.body).not.toEqual(set.body);

    const reset = await gateway.request('/v1/frequency-limits', { key: a, method: 'DELETE' });
    expect(reset).toMatchObject({ status: 200, body: { source: 'configuration' } });
    expect(await limitsOf(a)).toEqual(DEFAULT_CONFIGURED);
  });

  it('keeps the platform default and other accounts to operators', async () => {
    const body = { template: [{ windowSeconds: 60, limit: 100 }], account: [] };
    for (const [method, path] of [
      ['GET', '/v1/admin/frequency-limits'],
      ['PUT', '/v1/admin/frequency-limits'],
      ['DELETE', '/v1/admin/frequency-limits'],
      ['GET', `/v1/admin/frequency-limits/accounts/${a.accountId}`],
      ['PUT', `/v1/admin/frequency-limits/accounts/${a.accountId}`],
      ['DELETE', `/v1/admin/frequency-limits/accounts/${a.accountId}`],
    ] as const) {
      const response = await gateway.request(path, {
        key: b,
        method,
        ...(method === 'PUT' ? { body } : {}),
      });
      expect([method, path, response.status]).toEqual([method, path, 403]);
    }
    expect(await limitsOf(a)).toEqual(DEFAULT_CONFIGURED);
    expect(await limitsOf(operator, '/v1/admin/frequency-limits')).toEqual({
      ...CONFIGURED,
      platformDefault: null,
    });

    // An operator sets the platform default: both customers get it.
    const platform = await gateway.request('/v1/admin/frequency-limits', {
      key: operator,
      method: 'PUT',
      body: {
        template: [{ windowSeconds: 60, limit: 3 }],
        account: [{ windowSeconds: 86_400, limit: 30 }],
      },
    });
    expect(platform).toMatchObject({ status: 200, body: { source: 'platform' } });
    expect(await limitsOf(b)).toMatchObject({
      template: [{ windowSeconds: 60, limit: 3 }],
      source: 'platform',
    });
    // And A's own limits, which only A then has.
    const forA = await gateway.request(`/v1/admin/frequency-limits/accounts/${a.accountId}`, {
      key: operator,
      method: 'PUT',
      body: { template: [{ windowSeconds: 60, limit: 7 }], account: [] },
    });
    expect(forA).toMatchObject({
      status: 200,
      body: { source: 'account', updatedBy: operator.keyId },
    });
    // A sees its own limits and, beside them, the platform default a reset would give it.
    expect(await limitsOf(a)).toMatchObject({
      template: [{ windowSeconds: 60, limit: 7 }],
      platformDefault: {
        template: [{ windowSeconds: 60, limit: 3 }],
        account: [{ windowSeconds: 86_400, limit: 30 }],
        source: 'platform',
        updatedBy: operator.keyId,
      },
    });
    expect(
      await limitsOf(operator, `/v1/admin/frequency-limits/accounts/${a.accountId}`),
    ).toMatchObject({ source: 'account' });
    expect(await limitsOf(b)).toMatchObject({ source: 'platform' });

    expect(
      await gateway.request(`/v1/admin/frequency-limits/accounts/${a.accountId}`, {
        key: operator,
        method: 'DELETE',
      }),
    ).toMatchObject({ status: 200, body: { source: 'platform' } });
    expect(
      await gateway.request('/v1/admin/frequency-limits', { key: operator, method: 'DELETE' }),
    ).toMatchObject({ status: 200, body: { source: 'configuration' } });
    expect(await limitsOf(a)).toEqual(DEFAULT_CONFIGURED);
  });

  it.each([
    ['no body', undefined, 'request body must be a JSON object'],
    ['a list left out', { template: [] }, 'body field account:'],
    [
      'a zero limit',
      { template: [{ windowSeconds: 60, limit: 0 }], account: [] },
      'body field template.0.limit: must be at least 1',
    ],
    [
      'a fractional window',
      { template: [{ windowSeconds: 1.5, limit: 1 }], account: [] },
      'body field template.0.windowSeconds: must be a whole number of seconds',
    ],
    [
      'a window over 31 days',
      { template: [], account: [{ windowSeconds: 2_678_401, limit: 1 }] },
      'body field account.0.windowSeconds: must be at most 2678400 (31 days)',
    ],
    [
      'a window given twice',
      {
        template: [
          { windowSeconds: 60, limit: 1 },
          { windowSeconds: 60, limit: 2 },
        ],
        account: [],
      },
      'body field template.1.windowSeconds: a 60 s window is given twice',
    ],
    [
      'nine windows',
      {
        template: Array.from({ length: 9 }, (_, i) => ({ windowSeconds: 60 * (i + 1), limit: 1 })),
        account: [],
      },
      'body field template: must have at most 8 windows',
    ],
    ['an unknown field', { template: [], account: [], accountId: 'x' }, 'accountId'],
  ])('refuses %s with a 400 and stores nothing', async (_, body, message) => {
    const before = await limitsOf(b);
    const response = await gateway.request('/v1/frequency-limits', {
      key: b,
      method: 'PUT',
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'INVALID_ARGUMENT' });
    expect((response.body as { message: string }).message).toContain(message);
    expect(await limitsOf(b)).toEqual(before);
  });
});
