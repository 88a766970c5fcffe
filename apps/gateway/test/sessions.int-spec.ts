import { createRedis } from '@sms/platform-redis';
import { testInfrastructure, waitFor } from '@sms/testing';
import type { Redis } from 'ioredis';
import type { ApiKeyRole } from '../src/accounts/api-key-secret';
import { SessionStore } from '../src/sessions/session-store';
import { UsersService } from '../src/users/users.service';
import {
  startGatewayUnderTest,
  type GatewayUnderTest,
  type TestKey,
} from './support/gateway-under-test';
import { RecordingBackends } from './support/recording-backends';

// Console sessions against real PostgreSQL (users) and Redis (sessions, sign-in failures), with
// recording stand-ins of the back ends: what a session may do is exactly what the account's API
// key of the same role may do, and nothing more.

const PHONE = '+8613800138000';
const PASSWORD = 'correct horse battery';

interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly setCookie: string;
}

describe('console sessions (real PostgreSQL and Redis, recording back ends)', () => {
  let backends: RecordingBackends;
  let gateway: GatewayUnderTest;
  let redis: Redis;
  let customerKey: TestKey;
  let operatorKey: TestKey;

  const newUser = async (accountId: string, role: ApiKeyRole = 'customer', email?: string) =>
    gateway.app
      .get(UsersService)
      .createUser(
        accountId,
        email ?? `u${Math.random().toString(36).slice(2)}@example.com`,
        role,
        PASSWORD,
      );

  const signIn = async (
    email: string,
    password = PASSWORD,
    headers: Record<string, string> = {},
  ) => {
    const response = await gateway.request('/v1/session', {
      method: 'POST',
      body: { email, password },
      headers,
    });
    return response;
  };

  const session = async (email: string): Promise<Session> => {
    const response = await signIn(email);
    expect(response.status).toBe(201);
    const setCookie = response.headers.get('set-cookie') ?? '';
    return {
      cookie: setCookie.split(';')[0] ?? '',
      csrfToken: (response.body as { csrfToken: string }).csrfToken,
      setCookie,
    };
  };

  const withSession = (
    s: Session,
    path: string,
    options: { method?: string; body?: unknown; csrf?: string | null } = {},
  ) => {
    const headers: Record<string, string> = { cookie: s.cookie };
    const csrf = options.csrf === undefined ? s.csrfToken : options.csrf;
    if (csrf !== null) headers['x-csrf-token'] = csrf;
    return gateway.request(path, { method: options.method, body: options.body, headers });
  };

  const sessionKeys = async () => redis.keys(`{${gateway.redisPrefix}:gateway}:session:*`);

  beforeAll(async () => {
    backends = new RecordingBackends();
    const { target } = await backends.start();
    gateway = await startGatewayUnderTest({
      STATUS_GRPC_TARGET: target,
      INTERCEPTION_GRPC_TARGET: target,
      REPLY_GRPC_TARGET: target,
      AUTH_CACHE_TTL_MS: '0',
      SIGN_IN_FAILURES_PER_EMAIL: '3',
      SIGN_IN_FAILURES_PER_IP: '1000',
    });
    redis = createRedis({ url: testInfrastructure().redisUrl, name: 'sessions-test' });
    customerKey = await gateway.newAccount('customer');
    operatorKey = await gateway.newAccount('operator');
  });

  afterAll(async () => {
    await redis?.quit();
    await gateway?.close();
    await backends?.stop();
  });

  beforeEach(() => {
    backends.calls.length = 0;
  });

  it('signs in, says who is signed in, and signs out (CSRF needed), ending the session', async () => {
    const user = await newUser(customerKey.accountId, 'customer', 'Signer@Example.com');
    const s = await session('  SIGNER@example.COM ');
    expect(s.setCookie).toMatch(
      /^sms_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    expect(s.setCookie).not.toMatch(/Secure/);

    const who = await withSession(s, '/v1/session');
    expect(who.status).toBe(200);
    expect(who.body).toEqual({
      user: {
        userId: user.userId,
        email: 'signer@example.com',
        accountId: customerKey.accountId,
        role: 'customer',
      },
      csrfToken: s.csrfToken,
      expiresAt: expect.any(String),
      idleTimeoutSeconds: 1800,
    });
    const expiresAt = Date.parse((who.body as { expiresAt: string }).expiresAt);
    expect(expiresAt - Date.now()).toBeGreaterThan(12 * 3_600_000 - 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(12 * 3_600_000);

    // The token is not what Redis stores under.
    const token = s.cookie.split('=')[1] ?? '';
    expect((await sessionKeys()).join()).not.toContain(token);

    expect((await withSession(s, '/v1/session', { method: 'DELETE', csrf: null })).status).toBe(
      403,
    );
    expect(
      (await withSession(s, '/v1/session', { method: 'DELETE', csrf: 'x'.repeat(43) })).status,
    ).toBe(403);
    const out = await withSession(s, '/v1/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(
      /^sms_session=; Path=\/; Expires=Thu, 01 Jan 1970/,
    );

    const after = await withSession(s, '/v1/session');
    expect(after.status).toBe(401);
    expect(after.body).toEqual({
      error: 'UNAUTHENTICATED',
      message: expect.stringMatching(/sign in again/),
    });
    expect((await withSession(s, '/v1/messages')).status).toBe(401);
    expect(backends.calls).toHaveLength(0);
  });

  it('answers an unknown email, a wrong password and a disabled user the same way', async () => {
    const good = await newUser(customerKey.accountId);
    const disabled = await newUser(customerKey.accountId);
    await gateway.app.get(UsersService).disableUser(disabled.userId);
    const answers = await Promise.all([
      signIn(good.email, 'wrong password!!'),
      signIn('nobody-here@example.com'),
      signIn(disabled.email),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: 'UNAUTHENTICATED',
        message: 'email or password is wrong',
      });
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    expect((await signIn(good.email)).status).toBe(201);
  });

  it('refuses bad sign-in bodies with a 400 naming the field', async () => {
    const before = (await sessionKeys()).length;
    for (const body of [{}, { email: 'a@b.co' }, { email: 'a@b.co', password: 'x', extra: 1 }]) {
      const response = await gateway.request('/v1/session', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/body field|not supported/),
      });
    }
    expect(await sessionKeys()).toHaveLength(before);
  });

  it('rate-limits failed sign-ins per email, for known and unknown emails alike', async () => {
    const user = await newUser(customerKey.accountId);
    for (const email of [user.email, 'ghost@example.com']) {
      for (let i = 0; i < 3; i += 1)
        expect((await signIn(email, 'not the password')).status).toBe(401);
      const limited = await signIn(email, email === user.email ? PASSWORD : 'not the password');
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        error: 'RESOURCE_EXHAUSTED',
        message: expect.stringMatching(/too many failed sign-ins/),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    }
    // Other emails from the same address are not limited by the email counter.
    const other = await newUser(customerKey.accountId);
    expect((await signIn(other.email)).status).toBe(201);
  });

  it('keeps sessions for 30 minutes idle, renewed by use, and never past 12 hours', async () => {
    const user = await newUser(customerKey.accountId);
    const s = await session(user.email);
    const keys = await sessionKeys();
    expect(keys.length).toBeGreaterThan(0);
    const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
    for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(1_800_000);

    // Use renews the idle expiry: shorten every key, use the session, its key is long again.
    await Promise.all(keys.map((k) => redis.pexpire(k, 5_000)));
    expect((await withSession(s, '/v1/session')).status).toBe(200);
    const renewed = await Promise.all(keys.map((k) => redis.pttl(k)));
    expect(renewed.filter((ttl) => ttl > 1_700_000)).toHaveLength(1);

    // Idle past the TTL: the key goes and the session with it.
    await Promise.all(keys.map((k) => redis.pexpire(k, 1)));
    await waitFor(async () => (await sessionKeys()).length === 0, {
      description: 'session keys to expire',
    });
    expect((await withSession(s, '/v1/session')).status).toBe(401);

    // Absolute: however fresh the key, a session past its 12 h end is over (and removed).
    const store = gateway.app.get(SessionStore);
    const fresh = await session(user.email);
    const token = fresh.cookie.split('=')[1] ?? '';
    expect(await store.touch(token, Date.now() + 12 * 3_600_000 - 1_000)).not.toBeNull();
    expect(await store.touch(token, Date.now() + 12 * 3_600_000 + 1)).toBeNull();
    expect((await withSession(fresh, '/v1/session')).status).toBe(401);
  });

  it('ends the sessions of a disabled user and of a user whose password was reset', async () => {
    const users = gateway.app.get(UsersService);
    const a = await newUser(customerKey.accountId);
    const b = await newUser(customerKey.accountId);
    const sa = await session(a.email);
    const sb = await session(b.email);
    await users.disableUser(a.userId);
    await users.resetPassword(b.userId, 'a brand new password');
    expect((await withSession(sa, '/v1/messages')).status).toBe(401);
    expect((await withSession(sb, '/v1/messages')).status).toBe(401);
    expect((await signIn(b.email)).status).toBe(401);
    expect((await signIn(b.email, 'a brand new password')).status).toBe(201);
  });

  it('needs the CSRF token for state-changing requests with a session, never with an API key', async () => {
    const user = await newUser(customerKey.accountId);
    const s = await session(user.email);
    backends.answer('addEntry', {
      entry: { entryId: 'e-1', phone: PHONE, ownerAccountId: customerKey.accountId },
    });
    for (const csrf of [null, '', 'wrong-token', `${s.csrfToken}x`]) {
      const refused = await withSession(s, '/v1/block-list', {
        method: 'POST',
        body: { phone: PHONE },
        csrf,
      });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        error: 'PERMISSION_DENIED',
        message: expect.stringMatching(/X-CSRF-Token/),
      });
    }
    expect(backends.calls).toHaveLength(0);
    expect(
      (await withSession(s, '/v1/block-list', { method: 'POST', body: { phone: PHONE } })).status,
    ).toBe(201);
    // A token from another session does not fit.
    const other = await session(user.email);
    expect(
      (
        await withSession(s, '/v1/block-list', {
          method: 'POST',
          body: { phone: PHONE },
          csrf: other.csrfToken,
        })
      ).status,
    ).toBe(403);
    // API keys need none.
    expect(
      (
        await gateway.request('/v1/block-list', {
          method: 'POST',
          body: { phone: PHONE },
          key: customerKey,
        })
      ).status,
    ).toBe(201);
  });

  it('lets an Authorization header win over a session cookie', async () => {
    const user = await newUser(customerKey.accountId);
    const s = await session(user.email);
    const response = await gateway.request('/v1/messages', {
      headers: { cookie: s.cookie, authorization: 'Bearer key_nope.secret' },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: 'UNAUTHENTICATED',
      message: expect.stringMatching(/API key/),
    });
  });

  describe('tenancy: a session is exactly its account’s API key of the same role', () => {
    const CUSTOMER_ROUTES: [string, string][] = [
      ['GET', '/v1/messages?status=delivered'],
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
    ];

    // What reached the back ends, without the actor (a key id or a user id: who, not which tenant).
    const sent = () =>
      backends.calls.map((call) => {
        const { actor: _actor, deletedBy: _deletedBy, ...request } = call.request;
        return { method: call.method, request };
      });

    it.each([
      ...CUSTOMER_ROUTES.map(([m, p]) => ['customer', m, p] as const),
      ...OPERATOR_ROUTES.map(([m, p]) => ['operator', m, p] as const),
    ])('%s %s %s: same answer and same back-end request as the key', async (role, method, path) => {
      const key = role === 'customer' ? customerKey : operatorKey;
      const user = await newUser(key.accountId, role);
      const s = await session(user.email);
      const body = method === 'GET' ? undefined : { phone: PHONE };
      backends.calls.length = 0;
      const byKey = await gateway.request(path, { method, body, key });
      const keyCalls = sent();
      backends.calls.length = 0;
      const bySession = await withSession(s, path, { method, body });
      expect(bySession.status).toBe(byKey.status);
      expect(bySession.body).toEqual(byKey.body);
      expect(sent()).toEqual(keyCalls);
      expect(keyCalls.length).toBeGreaterThan(0);
      // Customers are scoped to their account; operators act as operators.
      expect(JSON.stringify(keyCalls)).toContain(
        role === 'customer' ? `"accountId":"${key.accountId}"` : '"asOperator":true',
      );

      // The other role is refused as a key of that role would be, before any back end.
      const otherUser = await newUser(key.accountId, role === 'customer' ? 'operator' : 'customer');
      const other = await session(otherUser.email);
      backends.calls.length = 0;
      const refused = await withSession(other, path, { method, body });
      expect(refused.status).toBe(403);
      expect(backends.calls).toHaveLength(0);
    });
  });
});

describe('sign-in rate limit per client address (real PostgreSQL and Redis)', () => {
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    gateway = await startGatewayUnderTest({
      SIGN_IN_FAILURES_PER_EMAIL: '100',
      SIGN_IN_FAILURES_PER_IP: '3',
    });
  });

  afterAll(() => gateway?.close());

  it('refuses every email from an address after its failures, even a right password', async () => {
    const key = await gateway.newAccount('customer');
    const user = await gateway.app
      .get(UsersService)
      .createUser(key.accountId, 'ip-limit@example.com', 'customer', PASSWORD);
    const signIn = (email: string, password: string) =>
      gateway.request('/v1/session', { method: 'POST', body: { email, password } });
    for (const email of ['x1@example.com', 'x2@example.com', user.email]) {
      expect((await signIn(email, 'not the password')).status).toBe(401);
    }
    const limited = await signIn(user.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.headers.get('set-cookie')).toBeNull();
  });
});
