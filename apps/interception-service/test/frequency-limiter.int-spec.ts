import { createRedis } from '@sms/platform-redis';
import { createTestRedisPrefix, deleteKeysWithPrefix, testInfrastructure } from '@sms/testing';
import { FrequencyLimiter, type FrequencyRequest } from '../src/admission/frequency-limiter';
import { parseFrequencyLimits } from '../src/admission/frequency-limits';

describe('FrequencyLimiter (real Redis)', () => {
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'test-frequency-limiter' });
  // Plain prefix: the {account:phone} tag after it is what Redis Cluster hashes.
  const prefix = `${createTestRedisPrefix('frequency').replace(/[{}]/g, '')}:`;
  const limiter = new FrequencyLimiter(redis, prefix);
  let numbers = 0;
  const ALLOWED = { allowed: true };
  const request = (limits: string, templateId = 'tpl'): FrequencyRequest => ({
    accountId: 'acc',
    phone: `+4479000${String(++numbers).padStart(5, '0')}`,
    templateId,
    limits: parseFrequencyLimits(limits),
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('is exact at the window edges (a send leaves the window exactly one window later)', async () => {
    const r = request('template:1m=2');
    const t0 = 1_700_000_000_000;
    expect(await limiter.admit(r, t0)).toEqual({ allowed: true });
    expect(await limiter.admit(r, t0 + 1000)).toEqual({ allowed: true });
    const full = { allowed: false, scope: 'TEMPLATE', seconds: 60, limit: 2 };
    expect(await limiter.admit(r, t0 + 2000)).toEqual({ ...full, retryAtMs: t0 + 60_000 });
    expect(await limiter.admit(r, t0 + 59_999)).toEqual({ ...full, retryAtMs: t0 + 60_000 });
    expect(await limiter.admit(r, t0 + 60_000)).toEqual({ allowed: true });
    // Now the sends at t0+1000 and t0+60000 are in the window: the older leaves first.
    expect(await limiter.admit(r, t0 + 60_001)).toEqual({ ...full, retryAtMs: t0 + 61_000 });
    expect(await limiter.admit(r, t0 + 61_000)).toEqual({ allowed: true });
  });

  it('reports the first full window, shortest first, and the time the right send leaves it', async () => {
    const r = request('template:1m=1,1h=3');
    const t0 = 1_700_000_000_000;
    expect(await limiter.admit(r, t0)).toEqual({ allowed: true });
    expect(await limiter.admit(r, t0 + 30_000)).toMatchObject({
      seconds: 60,
      retryAtMs: t0 + 60_000,
    });
    expect(await limiter.admit(r, t0 + 60_000)).toEqual({ allowed: true });
    expect(await limiter.admit(r, t0 + 120_000)).toEqual({ allowed: true });
    // 3 in the hour: the hour is full until the first send (t0) leaves it.
    expect(await limiter.admit(r, t0 + 180_000)).toMatchObject({
      seconds: 3600,
      limit: 3,
      retryAtMs: t0 + 3_600_000,
    });
  });

  it('counts a template and the account-wide cap together, and nothing when refused', async () => {
    const limits = 'template:1h=2;account:1h=3';
    const a = request(limits, 'tpl-a');
    const b = { ...a, templateId: 'tpl-b' };
    const t0 = 1_700_000_000_000;
    expect(await limiter.admit(a, t0)).toEqual({ allowed: true });
    expect(await limiter.admit(a, t0 + 1)).toEqual({ allowed: true });
    // Refused by the template window: not counted in the account window either.
    expect(await limiter.admit(a, t0 + 2)).toMatchObject({ scope: 'TEMPLATE' });
    expect(await limiter.admit(b, t0 + 3)).toEqual({ allowed: true });
    expect(await limiter.admit(b, t0 + 4)).toMatchObject({
      scope: 'ACCOUNT',
      limit: 3,
      retryAtMs: t0 + 3_600_000,
    });
  });

  it('lets exactly the limit through when 100 admits for one number race', async () => {
    const r = request('template:1h=7');
    const now = Date.now();
    const answers = await Promise.all(Array.from({ length: 100 }, () => limiter.admit(r, now)));
    expect(answers.filter((a) => a.allowed)).toHaveLength(7);
  });

  it('decides a batch in order in one round trip', async () => {
    const r = request('template:1m=2');
    const answers = await limiter.admitMany([r, r, r, request('template:1m=2')], Date.now());
    expect(answers.map((a) => a.allowed)).toEqual([true, true, false, true]);
  });

  it('decides messages with different limits in one call', async () => {
    const a = request('account:1h=1');
    const b = request('template:1m=1,1h=2;account:1d=3');
    const now = Date.now();
    const answers = await limiter.admitMany([a, b, a, b], now);
    expect(answers[0]).toEqual({ allowed: true });
    expect(answers[1]).toEqual({ allowed: true });
    expect(answers[2]).toEqual({
      allowed: false,
      scope: 'ACCOUNT',
      seconds: 3600,
      limit: 1,
      retryAtMs: now + 3_600_000,
    });
    expect(answers[3]).toMatchObject({ scope: 'TEMPLATE', seconds: 60, limit: 1 });
  });

  it('counts exactly with a limit too large to read the sends (a count per window)', async () => {
    const r = request('template:1s=1,1h=100');
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 100; i++) expect(await limiter.admit(r, t0 + i * 1000)).toEqual(ALLOWED);
    expect(await limiter.admit(r, t0 + 100_000)).toMatchObject({
      seconds: 3600,
      retryAtMs: t0 + 3_600_000,
    });
    expect(await limiter.admit(r, t0 + 99_500)).toMatchObject({
      seconds: 1,
      retryAtMs: t0 + 100_000,
    });
  });

  it('drops sends older than the longest window when it records one', async () => {
    const r = request('template:1m=1,1h=2');
    const key = `${prefix}{acc:${r.phone}}:t:tpl`;
    const t0 = 1_700_000_000_000;
    await limiter.admit(r, t0);
    await limiter.admit(r, t0 + 60_000);
    expect(await redis.zcard(key)).toBe(2);
    expect(await limiter.admit(r, t0 + 3_600_000)).toEqual(ALLOWED);
    expect(await redis.zcard(key)).toBe(2);
    expect(await limiter.admit(r, t0 + 7_200_000)).toEqual(ALLOWED);
    expect(await redis.zcard(key)).toBe(1);
  });

  it('asks Redis nothing when there are no limits', async () => {
    const r = request('');
    expect(await limiter.admitMany([r, r], Date.now())).toEqual([
      { allowed: true },
      { allowed: true },
    ]);
    expect(await redis.exists(`${prefix}{acc:${r.phone}}:t:tpl`)).toBe(0);
  });

  it('keeps its keys no longer than the longest window', async () => {
    const r = request('template:1m=5;account:1h=10');
    await limiter.admit(r, Date.now());
    const ttl = await redis.pttl(`${prefix}{acc:${r.phone}}:a`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(await redis.pttl(`${prefix}{acc:${r.phone}}:t:tpl`)).toBeLessThanOrEqual(60_000);
  });

  it('refuses a prefix with braces (the number must choose the hash slot)', () => {
    expect(() => new FrequencyLimiter(redis, '{sms}:')).toThrow(/must not contain braces/);
  });
});
