import { AccountsService } from '../src/accounts/accounts.service';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';
import { RecordingBackends } from './support/recording-backends';

// Key guessing must cost the guesser, not PostgreSQL: malformed key ids are refused without a
// lookup, unknown ids are answered from memory without pushing real keys out, and an address
// that keeps failing is answered 429.

const randomKeyId = () =>
  `key_${Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}`;

describe('API key guessing (real PostgreSQL and Redis)', () => {
  let backends: RecordingBackends;
  let gateway: GatewayUnderTest;
  let customer: TestKey;
  let lookups: string[];

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    backends.answer('listUnsubscribes', { unsubscribes: [], nextPageToken: '' });
    gateway = await startGatewayUnderTest({
      INTERCEPTION_GRPC_TARGET: target,
      AUTH_CACHE_TTL_MS: '60000',
      AUTH_FAILURES_PER_MINUTE: '1000',
      AUTH_NEGATIVE_CACHE_SIZE: '100',
    });
    customer = await gateway.newAccount();
    // Watches the real lookups (they still run): each is one PostgreSQL query.
    const accounts = gateway.app.get(AccountsService);
    const findKey = accounts.findKey.bind(accounts);
    lookups = [];
    accounts.findKey = (keyId: string) => {
      lookups.push(keyId);
      return findKey(keyId);
    };
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  beforeEach(() => {
    lookups.length = 0;
  });

  const withKey = (authorization: string) =>
    gateway.request('/v1/unsubscribes', { headers: { authorization } });

  it.each([
    ['not the key prefix', 'Bearer acc_0123456789abcdef01234567.secret'],
    ['upper-case hex', 'Bearer key_0123456789ABCDEF01234567.secret'],
    ['too short', 'Bearer key_0123.secret'],
    ['SQL-looking', `Basic ${Buffer.from("key_' or 1=1 --:secret").toString('base64')}`],
  ])('refuses a key id that is %s without any lookup', async (_name, authorization) => {
    const response = await withKey(authorization);
    expect(response).toMatchObject({
      status: 401,
      body: { error: 'UNAUTHENTICATED', message: 'unknown API key or wrong secret' },
    });
    expect(lookups).toEqual([]);
  });

  it('looks an unknown key id up once, then answers it from memory', async () => {
    const keyId = randomKeyId();
    for (let i = 0; i < 5; i += 1) {
      expect((await withKey(`Bearer ${keyId}.secret`)).status).toBe(401);
    }
    expect(lookups).toEqual([keyId]);
  });

  it('keeps real keys cached however many unknown ids are tried', async () => {
    expect((await gateway.request('/v1/unsubscribes', { key: customer })).status).toBe(200);
    // More unknown ids than the negative cache holds.
    for (let i = 0; i < 150; i += 1) await withKey(`Bearer ${randomKeyId()}.secret`);
    lookups.length = 0;
    expect((await gateway.request('/v1/unsubscribes', { key: customer })).status).toBe(200);
    expect(lookups).toEqual([]);
  });
});

describe('failed-authentication limit per address (real Redis)', () => {
  let backends: RecordingBackends;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    backends.answer('listUnsubscribes', { unsubscribes: [], nextPageToken: '' });
    gateway = await startGatewayUnderTest({
      INTERCEPTION_GRPC_TARGET: target,
      AUTH_FAILURES_PER_MINUTE: '5',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await backends?.stop();
  });

  it('answers 429 with Retry-After once an address failed too often, even with a good key', async () => {
    const customer = await gateway.newAccount();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await gateway.request('/v1/unsubscribes', {
        headers: { authorization: `Bearer ${customer.keyId}.wrong-secret-${i}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const refused = await gateway.request('/v1/unsubscribes', {
      headers: { authorization: `Bearer ${randomKeyId()}.secret` },
    });
    expect(refused).toMatchObject({
      status: 429,
      body: {
        error: 'RESOURCE_EXHAUSTED',
        message: expect.stringMatching(/failed authentications/),
      },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await gateway.request('/v1/unsubscribes', { key: customer })).status).toBe(429);
    expect(backends.calls).toHaveLength(0);
  });
});
