import { commonV1, interceptionV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { METRICS_REGISTRY } from '@sms/platform-metrics';
import { deleteKeysWithPrefix, waitFor } from '@sms/testing';
import {
  createTestStore,
  msOf,
  startTestApp,
  uniquePhone,
  type TestApp,
  type TestStore,
} from './interception-app';

// Frequency limits per account and the platform default, over gRPC on two replicas: who may
// read and change which limits, what is refused, and that admission applies a change on every
// replica within a second.

const { AdmitDecision, FrequencyLimitsSource: Source } = interceptionV1;
const R = commonV1.ProcessFailedReason;

type Limits = interceptionV1.FrequencyLimits;
const limits = (template: [number, number][], account: [number, number][] = []): Limits => ({
  templateWindows: template.map(([windowSeconds, limit]) => ({ windowSeconds, limit })),
  accountWindows: account.map(([windowSeconds, limit]) => ({ windowSeconds, limit })),
});
const customer = (accountId: string) => ({ accountId, asOperator: false, platformDefault: false });
const operatorFor = (accountId: string) => ({
  accountId,
  asOperator: true,
  platformDefault: false,
});
const PLATFORM = { accountId: '', asOperator: true, platformDefault: true };

let templates = 0;

describe('Frequency limits per account and platform default (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;
  let replica: TestApp;

  beforeAll(async () => {
    store = await createTestStore('freq-limits');
    const config = { ADMISSION_FREQUENCY_LIMITS: 'template:1m=1;account:1d=20' };
    service = await startTestApp(store, config);
    replica = await startTestApp(store, config);
  });

  afterAll(async () => {
    await replica?.close();
    await service?.close();
    if (store) await deleteKeysWithPrefix(store.redis, `${store.redisPrefix}:admission:`);
    await store?.drop();
  });

  const stored = async () =>
    (await store.sql.query<Record<string, unknown>>('select * from frequency_limit order by owner'))
      .rows;

  /** How many of `count` admits of one template to one number the replica allows. */
  const allowedOf = async (app: TestApp, accountId: string, count: number) => {
    const phone = uniquePhone();
    const templateId = `tpl-${++templates}`;
    const { results } = await app.client.admitBatch({
      accountId,
      messages: Array.from({ length: count }, () => ({
        phone,
        templateId,
        templateType: commonV1.TemplateType.TEMPLATE_TYPE_NOTIFICATION,
        templateText: '',
        variables: {},
        content: 'Your parcel arrives tomorrow',
        labels: [],
      })),
    });
    return {
      results,
      allowed: results.filter((r) => r.decision === AdmitDecision.ADMIT_DECISION_ALLOW).length,
    };
  };

  it('answers the configured default while nothing is stored', async () => {
    const { effective, platformDefault } = await service.client.getFrequencyLimits({
      target: customer('acc-new'),
    });
    expect(platformDefault).toEqual(effective);
    expect(effective).toMatchObject({
      limits: limits([[60, 1]], [[86_400, 20]]),
      source: Source.FREQUENCY_LIMITS_SOURCE_CONFIGURATION,
      updatedBy: '',
    });
    expect(effective?.updatedAt ?? null).toBeNull();
  });

  it("sets an account's own limits, applies them on every replica within a second, and resets them", async () => {
    expect((await allowedOf(replica, 'acc-own', 3)).allowed).toBe(1);
    const { effective } = await service.client.setFrequencyLimits({
      target: customer('acc-own'),
      // Given longest first: stored and answered shortest first.
      limits: limits(
        [
          [3600, 5],
          [60, 2],
        ],
        [],
      ),
      actor: 'key-1',
    });
    expect(effective).toMatchObject({
      limits: limits(
        [
          [60, 2],
          [3600, 5],
        ],
        [],
      ),
      source: Source.FREQUENCY_LIMITS_SOURCE_ACCOUNT,
      updatedBy: 'key-1',
    });
    expect(msOf(effective!.updatedAt)).toEqual(expect.any(Number));
    await waitFor(async () => (await allowedOf(replica, 'acc-own', 3)).allowed === 2, {
      timeoutMs: 1000,
      description: 'the other replica to apply the account limits',
    });
    // The replica's metrics say which revision it holds and that it polls.
    const [{ revision }] = (
      await store.sql.query<{ revision: string }>(
        `select revision from frequency_limit where owner = 'acc-own'`,
      )
    ).rows;
    const metrics = await replica.app
      .get<{ metrics(): Promise<string> }>(METRICS_REGISTRY)
      .metrics();
    expect(metrics).toMatch(
      new RegExp(
        `interception_admission_settings_revision\\{[^}]*settings="frequency_limits"[^}]*\\} ${revision}\n`,
      ),
    );
    expect(metrics).toMatch(
      /interception_admission_settings_reload_age_seconds\{[^}]*settings="interception_words"[^}]*\} \d/,
    );
    // The answer says which window is full and when sending is possible again.
    const { results } = await allowedOf(service, 'acc-own', 3);
    expect(results[2]).toMatchObject({
      reason: R.PROCESS_FAILED_REASON_FREQUENCY_OVERRUN,
      frequency: { scope: 'TEMPLATE', windowSeconds: 60, limit: 2 },
    });
    expect(results[2].detail).toContain('at most 2 messages of template');
    expect(results[2].detail).toContain('sending is possible again at');
    expect(
      await service.app.get<{ metrics(): Promise<string> }>(METRICS_REGISTRY).metrics(),
    ).toMatch(
      /interception_admission_frequency_overruns_total\{[^}]*scope="TEMPLATE"[^}]*\} [1-9]/,
    );
    // Another account still has the default.
    expect((await allowedOf(service, 'acc-other', 2)).allowed).toBe(1);

    const reset = await service.client.resetFrequencyLimits({
      target: customer('acc-own'),
      actor: 'key-1',
    });
    expect(reset.effective?.source).toBe(Source.FREQUENCY_LIMITS_SOURCE_CONFIGURATION);
    await waitFor(async () => (await allowedOf(replica, 'acc-own', 3)).allowed === 1, {
      timeoutMs: 1000,
      description: 'the other replica to drop the account limits',
    });
  });

  it('keeps the platform default to operators; it applies to accounts without limits of their own', async () => {
    const before = await stored();
    await expect(
      service.client.setFrequencyLimits({
        target: { accountId: 'acc-sneaky', asOperator: false, platformDefault: true },
        limits: limits([[60, 100]]),
        actor: 'key-2',
      }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    await expect(
      service.client.getFrequencyLimits({
        target: { accountId: 'acc-sneaky', asOperator: false, platformDefault: true },
      }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect(await stored()).toEqual(before);

    await service.client.setFrequencyLimits({
      target: customer('acc-mine'),
      limits: limits([[60, 4]]),
      actor: 'key-3',
    });
    const platform = await service.client.setFrequencyLimits({
      target: PLATFORM,
      limits: limits([[60, 3]], [[86_400, 50]]),
      actor: 'operator-1',
    });
    expect(platform.effective).toMatchObject({
      source: Source.FREQUENCY_LIMITS_SOURCE_PLATFORM,
      updatedBy: 'operator-1',
    });
    // The platform default's own answer has nothing beside it.
    expect(platform.platformDefault ?? null).toBeNull();
    // A customer with limits of its own sees the platform default beside them (what a reset
    // gives it), though it cannot read the platform default as a target of its own.
    const mine = await service.client.getFrequencyLimits({ target: customer('acc-mine') });
    expect(mine.effective).toMatchObject({
      limits: limits([[60, 4]]),
      source: Source.FREQUENCY_LIMITS_SOURCE_ACCOUNT,
    });
    expect(mine.platformDefault).toMatchObject({
      limits: limits([[60, 3]], [[86_400, 50]]),
      source: Source.FREQUENCY_LIMITS_SOURCE_PLATFORM,
      updatedBy: 'operator-1',
    });
    expect(
      (await service.client.getFrequencyLimits({ target: customer('acc-plain') })).effective,
    ).toMatchObject({
      limits: limits([[60, 3]], [[86_400, 50]]),
      source: Source.FREQUENCY_LIMITS_SOURCE_PLATFORM,
    });
    expect(
      (await service.client.getFrequencyLimits({ target: operatorFor('acc-mine') })).effective,
    ).toMatchObject({ limits: limits([[60, 4]]), source: Source.FREQUENCY_LIMITS_SOURCE_ACCOUNT });
    await waitFor(
      async () =>
        (await allowedOf(replica, 'acc-plain', 5)).allowed === 3 &&
        (await allowedOf(replica, 'acc-mine', 5)).allowed === 4,
      { timeoutMs: 1000, description: 'the other replica to apply the platform default' },
    );

    // An operator resets an account's limits: the platform default applies to it again.
    expect(
      (await service.client.resetFrequencyLimits({ target: operatorFor('acc-mine'), actor: 'op' }))
        .effective,
    ).toMatchObject({ source: Source.FREQUENCY_LIMITS_SOURCE_PLATFORM });
    // Resetting the platform default leaves the configured one.
    expect(
      (await service.client.resetFrequencyLimits({ target: PLATFORM, actor: 'op' })).effective,
    ).toMatchObject({
      limits: limits([[60, 1]], [[86_400, 20]]),
      source: Source.FREQUENCY_LIMITS_SOURCE_CONFIGURATION,
    });
    await waitFor(async () => (await allowedOf(replica, 'acc-plain', 5)).allowed === 1, {
      timeoutMs: 1000,
      description: 'the other replica to drop the platform default',
    });
  });

  it.each([
    ['no limits', { limits: undefined }, 'limits is required'],
    [
      'a zero limit',
      { limits: limits([[60, 0]]) },
      'limits.template_windows[0].limit must be 1..10000',
    ],
    [
      'a limit too high',
      { limits: limits([], [[60, 10_001]]) },
      'limits.account_windows[0].limit must be 1..10000',
    ],
    [
      'a zero window',
      { limits: limits([[0, 1]]) },
      'limits.template_windows[0].window_seconds must be 1..2678400',
    ],
    [
      'a window over 31 days',
      { limits: limits([[2_678_401, 1]]) },
      'limits.template_windows[0].window_seconds must be 1..2678400',
    ],
    [
      'a window given twice',
      {
        limits: limits([
          [3600, 1],
          [3600, 2],
        ]),
      },
      'limits.template_windows[1]: a hour window is given twice',
    ],
    [
      'too many windows',
      {
        limits: limits(Array.from({ length: 9 }, (_, i) => [60 * (i + 1), 1] as [number, number])),
      },
      'at most 8',
    ],
    ['no account', { target: customer(' ') }, 'target.account_id is required'],
    ['an actor too long', { actor: 'x'.repeat(129) }, 'actor must be at most 128 characters'],
  ])('refuses %s with INVALID_ARGUMENT and stores nothing', async (_, fields, message) => {
    const before = await stored();
    await expect(
      service.client.setFrequencyLimits({
        target: customer('acc-bad'),
        limits: limits([[60, 1]]),
        actor: 'key-4',
        ...fields,
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringContaining(message),
    });
    expect(await stored()).toEqual(before);
  });
});
