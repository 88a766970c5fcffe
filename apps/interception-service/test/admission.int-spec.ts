import { commonV1, interceptionV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { deleteKeysWithPrefix, waitFor } from '@sms/testing';
import {
  createTestStore,
  msOf,
  startTestApp,
  UnsubscribeSource,
  uniquePhone,
  Scope,
  type TestApp,
  type TestStore,
} from './interception-app';

const { AdmitDecision, WordList } = interceptionV1;
const R = commonV1.ProcessFailedReason;
const T = commonV1.TemplateType;

type Message = Partial<interceptionV1.AdmitMessage>;

let templates = 0;
/** A fresh template id, so frequency limits of one test never touch another's. */
const tpl = () => `tpl-${++templates}`;

function message(fields: Message = {}): interceptionV1.AdmitMessage {
  return {
    phone: uniquePhone(),
    templateId: tpl(),
    templateType: T.TEMPLATE_TYPE_NOTIFICATION,
    templateText: '',
    variables: {},
    content: 'Your parcel arrives tomorrow',
    labels: [],
    ...fields,
  };
}

describe('Admit and AdmitBatch (real PostgreSQL, Redis, gRPC)', () => {
  let store: TestStore;
  let service: TestApp;
  let replica: TestApp;

  const admit = async (accountId: string, fields: Message = {}) =>
    (await service.client.admit({ accountId, message: message(fields) })).result!;

  beforeAll(async () => {
    store = await createTestStore('admission');
    const config = {
      ADMISSION_FORBIDDEN_CHARACTERS: '★',
      ADMISSION_FREQUENCY_LIMITS: 'template:1m=1,1h=3;account:1d=20',
    };
    service = await startTestApp(store, config);
    replica = await startTestApp(store, config);
    await service.client.addInterceptionWords({
      accountId: '',
      asOperator: true,
      list: WordList.WORD_LIST_PLATFORM,
      words: ['casino', '贷款'],
      actor: 'operator-1',
    });
    await service.client.addInterceptionWords({
      accountId: 'acc-words',
      asOperator: false,
      list: WordList.WORD_LIST_ACCOUNT,
      words: ['competitor'],
      actor: 'key-1',
    });
    // Both lists, on the replica that answers: the platform and account lists load separately.
    await waitFor(
      async () =>
        (await admit('acc-words', { content: 'competitor' })).reason ===
          R.PROCESS_FAILED_REASON_KEYWORD_BLOCK &&
        (await admit('acc-words', { content: 'casino' })).reason ===
          R.PROCESS_FAILED_REASON_KEYWORD_BLOCK &&
        (await admit('acc-words', { content: '贷款' })).reason ===
          R.PROCESS_FAILED_REASON_KEYWORD_BLOCK,
      { description: 'the word lists to load' },
    );
  });

  afterAll(async () => {
    await replica?.close();
    await service?.close();
    if (store) await deleteKeysWithPrefix(store.redis, `${store.redisPrefix}:admission:`);
    await store?.drop();
  });

  it('allows a good message and gives its entries and encoding', async () => {
    const result = await admit('acc-1', { content: 'a'.repeat(161) });
    expect(result).toMatchObject({
      decision: AdmitDecision.ADMIT_DECISION_ALLOW,
      reason: R.PROCESS_FAILED_REASON_UNSPECIFIED,
      entries: 2,
      encoding: interceptionV1.MessageEncoding.MESSAGE_ENCODING_GSM7,
    });
    expect(
      await admit('acc-1', {
        templateText: '您的验证码是{{code}}',
        variables: { code: '1234' },
        content: '',
        templateType: T.TEMPLATE_TYPE_VERIFICATION,
      }),
    ).toMatchObject({
      decision: AdmitDecision.ADMIT_DECISION_ALLOW,
      entries: 1,
      encoding: interceptionV1.MessageEncoding.MESSAGE_ENCODING_UCS2,
    });
  });

  it('reports blocks first, whatever else is wrong with the message', async () => {
    const globalPhone = uniquePhone();
    const localPhone = uniquePhone();
    const unsubscribed = uniquePhone();
    await service.client.recordFailure({
      accountId: 'acc-other',
      phone: globalPhone,
      messageId: 'adm-global',
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
      detail: '',
      occurredAt: undefined,
    });
    await service.client.addEntry({
      accountId: 'acc-1',
      asOperator: false,
      phone: localPhone,
      scope: Scope.SCOPE_LOCAL,
      reason: 'asked by phone',
      expiresAt: undefined,
      actor: 'key-1',
    });
    await service.client.addUnsubscribe({
      accountId: 'acc-1',
      phone: unsubscribed,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: undefined,
    });
    // Content with a platform word, a missing variable and a forbidden character.
    const bad = { templateText: 'casino ★ {{missing}}', content: '' };
    const { results } = await service.client.admitBatch({
      accountId: 'acc-1',
      messages: [
        message({ phone: globalPhone, ...bad }),
        message({ phone: localPhone, ...bad }),
        message({ phone: unsubscribed, ...bad }),
        message({ phone: uniquePhone(), ...bad }),
      ],
    });
    expect(results.map((r) => r.reason)).toEqual([
      R.PROCESS_FAILED_REASON_GLOBAL_BLOCK,
      R.PROCESS_FAILED_REASON_PARTIAL_BLOCK,
      R.PROCESS_FAILED_REASON_UNSUBSCRIBE,
      R.PROCESS_FAILED_REASON_KEYWORD_BLOCK,
    ]);
    expect(results[0]).toMatchObject({
      decision: AdmitDecision.ADMIT_DECISION_PROCESS_FAILED,
      entry: { phone: globalPhone, scope: Scope.SCOPE_GLOBAL },
    });
    expect(results[0].detail).toMatch(
      /^number is on the global block list \(entry [0-9a-f-]{36}: .*\) until \d{4}-/,
    );
    expect(results[1].detail).toMatch(/^number is on this account's block list .* until deleted$/);
    expect(results[2]).toMatchObject({ unsubscribe: { phone: unsubscribed } });
    expect(results[2].detail).toMatch(
      /^the recipient unsubscribed from this account on .* \(through the API\)$/,
    );
    // Another account is not affected by acc-1's own block or unsubscribe.
    expect((await admit('acc-2', { phone: localPhone })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
  });

  it.each([
    [
      'a platform word',
      'acc-1',
      'Visit our C@SINO tonight',
      'casino',
      WordList.WORD_LIST_PLATFORM,
      'content contains the platform interception word "casino" (written "C@SINO")',
    ],
    [
      'a Chinese platform word across a space',
      'acc-1',
      '低息贷 款',
      '贷款',
      WordList.WORD_LIST_PLATFORM,
      'content contains the platform interception word "贷款" (written "贷 款")',
    ],
    [
      'an account word',
      'acc-words',
      'Better than COMPETITOR',
      'competitor',
      WordList.WORD_LIST_ACCOUNT,
      `content contains the account's interception word "competitor" (written "COMPETITOR")`,
    ],
  ])('blocks %s (KEYWORD_BLOCK)', async (_, accountId, content, word, list, detail) => {
    expect(await admit(accountId, { content })).toMatchObject({
      reason: R.PROCESS_FAILED_REASON_KEYWORD_BLOCK,
      word: { word, list },
      detail,
    });
  });

  it("applies an account's words to that account only", async () => {
    expect((await admit('acc-1', { content: 'Better than competitor' })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
  });

  it('finds a word in what renders even when a variable is missing (KEYWORD_BLOCK outranks VARIABLE_ERROR)', async () => {
    expect(
      await admit('acc-1', {
        content: '',
        templateText: 'Hi {{name}}, {{offer}}',
        variables: { offer: 'casino night' },
      }),
    ).toMatchObject({ reason: R.PROCESS_FAILED_REASON_KEYWORD_BLOCK });
  });

  it.each([
    ['a missing variable', 'Hi {{name}}', {}, 'name', 'variable "name" is not supplied'],
    ['an empty variable', 'Hi {{name}}', { name: '' }, 'name', 'variable "name" is empty'],
    [
      'an unused variable in a verification template',
      'Code {{code}}',
      { code: '1', extra: 'x' },
      'extra',
      'variable "extra" is supplied but the template does not use it',
    ],
    [
      'a value over the length',
      'Code {{code}}',
      { code: '1'.repeat(33) },
      'code',
      'variable "code" is 33 characters; at most 32',
    ],
  ])('refuses %s (VARIABLE_ERROR)', async (_, templateText, variables, variable, detail) => {
    expect(
      await admit('acc-1', {
        content: '',
        templateText,
        variables,
        templateType: T.TEMPLATE_TYPE_VERIFICATION,
      }),
    ).toMatchObject({
      reason: R.PROCESS_FAILED_REASON_VARIABLE_ERROR,
      variable,
      detail,
      entries: 0,
    });
  });

  it.each([
    [
      'a configured forbidden character',
      { content: 'Win ★ prizes' },
      'content has the forbidden character "★" (U+2605) at position 4',
    ],
    [
      'too many segments for the type',
      { content: 'x'.repeat(307), templateType: T.TEMPLATE_TYPE_VERIFICATION },
      'content takes 3 GSM-7 segments (307 septets); VERIFICATION allows at most 2',
    ],
    ['empty content', { content: '' }, 'content is empty'],
    [
      'marketing to China without a signature',
      { content: '限时优惠', phone: '+8613800138000', templateType: T.TEMPLATE_TYPE_MARKETING },
      'MARKETING content to this market needs a signature (【Brand】 or [Brand]) at its start or end',
    ],
  ])('refuses %s (CONTENT_ERROR)', async (_, fields, detail) => {
    expect(await admit('acc-1', fields)).toMatchObject({
      reason: R.PROCESS_FAILED_REASON_CONTENT_ERROR,
      detail,
    });
  });

  it('allows signed marketing to China, and unsigned marketing where no signature is needed', async () => {
    expect(
      (
        await admit('acc-cn', {
          content: '【Acme】限时优惠',
          phone: '+8613800138001',
          templateType: T.TEMPLATE_TYPE_MARKETING,
        })
      ).decision,
    ).toBe(AdmitDecision.ADMIT_DECISION_ALLOW);
    expect(
      (await admit('acc-cn', { content: 'Sale today', templateType: T.TEMPLATE_TYPE_MARKETING }))
        .decision,
    ).toBe(AdmitDecision.ADMIT_DECISION_ALLOW);
  });

  it.each([
    ['an invalid number', { phone: '+4412' }, /^phone "\+4412" is not a valid number/],
    [
      'a fixed-line number',
      { phone: '+442079460000' },
      /^\+442079460000 is a fixed-line number, which cannot receive SMS$/,
    ],
    [
      'no template type',
      { templateType: T.TEMPLATE_TYPE_UNSPECIFIED },
      /^template_type is required$/,
    ],
    [
      'both template and content',
      { templateText: 'Hi' },
      /^give template_text \(with variables\) or content, not both$/,
    ],
  ])('answers OTHER for %s', async (_, fields, detail) => {
    const result = await admit('acc-1', fields);
    expect(result).toMatchObject({ reason: R.PROCESS_FAILED_REASON_OTHER });
    expect(result.detail).toMatch(detail);
  });

  it('limits sends to a number per template and says when sending is possible again', async () => {
    const phone = uniquePhone();
    const templateId = tpl();
    const before = Date.now();
    expect((await admit('acc-freq', { phone, templateId })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
    const second = await admit('acc-freq', { phone, templateId });
    expect(second).toMatchObject({
      reason: R.PROCESS_FAILED_REASON_FREQUENCY_OVERRUN,
      frequency: { scope: 'TEMPLATE', windowSeconds: 60, limit: 1 },
    });
    const retryAt = msOf(second.frequency!.retryAt)!;
    expect(retryAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(second.detail).toBe(
      `at most 1 message of template ${templateId} per minute to this number; sending is possible again at ${new Date(retryAt).toISOString()}`,
    );
    // Another template to the same number, and the same template to another number, go.
    expect((await admit('acc-freq', { phone })).decision).toBe(AdmitDecision.ADMIT_DECISION_ALLOW);
    expect((await admit('acc-freq', { templateId })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
  });

  it('counts only sends it allows', async () => {
    const phone = uniquePhone();
    const templateId = tpl();
    for (const content of ['casino', '', 'Win ★']) {
      expect((await admit('acc-count', { phone, templateId, content })).decision).toBe(
        AdmitDecision.ADMIT_DECISION_PROCESS_FAILED,
      );
    }
    expect((await admit('acc-count', { phone, templateId })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
  });

  it('lets exactly the limit through when 100 admits for one number race (both replicas)', async () => {
    const phone = uniquePhone();
    // Across templates the account may send 20 a day to one number.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? replica : service).client.admit({
          accountId: 'acc-race',
          message: message({ phone }),
        }),
      ),
    );
    const reasons = results.map((r) => r.result!.reason);
    expect(reasons.filter((r) => r === R.PROCESS_FAILED_REASON_UNSPECIFIED)).toHaveLength(20);
    expect(reasons.filter((r) => r === R.PROCESS_FAILED_REASON_FREQUENCY_OVERRUN)).toHaveLength(80);
    const overrun = results.find((r) => r.result!.frequency)!.result!.frequency!;
    expect(overrun).toMatchObject({ scope: 'ACCOUNT', windowSeconds: 86_400, limit: 20 });
  });

  it('decides a batch in order: the second message of a template to a number counts against the first', async () => {
    const phone = uniquePhone();
    const templateId = tpl();
    const { results } = await service.client.admitBatch({
      accountId: 'acc-batch',
      messages: [
        message({ phone, templateId }),
        message({ phone, templateId }),
        message({ phone }),
      ],
    });
    expect(results.map((r) => r.reason)).toEqual([
      R.PROCESS_FAILED_REASON_UNSPECIFIED,
      R.PROCESS_FAILED_REASON_FREQUENCY_OVERRUN,
      R.PROCESS_FAILED_REASON_UNSPECIFIED,
    ]);
    expect(results.map((r) => r.phone)).toEqual([phone, phone, phone]);
  });

  it('refuses a malformed call with INVALID_ARGUMENT and counts nothing', async () => {
    const phone = uniquePhone();
    const templateId = tpl();
    await expect(
      service.client.admitBatch({
        accountId: 'acc-bad',
        messages: Array.from({ length: 1001 }, () => message({ phone, templateId })),
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringContaining('at most 1000'),
    });
    await expect(
      service.client.admit({ accountId: ' ', message: message({ phone, templateId }) }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'account_id is required',
    });
    expect(
      await store.redis.exists(`${store.redisPrefix}:admission:{acc-bad:${phone}}:t:${templateId}`),
    ).toBe(0);
    expect((await admit('acc-bad', { phone, templateId })).decision).toBe(
      AdmitDecision.ADMIT_DECISION_ALLOW,
    );
  });

  it('answers an empty batch with no results', async () => {
    expect(await service.client.admitBatch({ accountId: 'acc-1', messages: [] })).toEqual({
      results: [],
    });
  });

  it('takes a word change to every replica within a second', async () => {
    const content = 'Try our new sweepstake';
    expect(
      (await replica.client.admit({ accountId: 'acc-1', message: message({ content }) })).result!
        .decision,
    ).toBe(AdmitDecision.ADMIT_DECISION_ALLOW);
    const { words } = await service.client.addInterceptionWords({
      accountId: '',
      asOperator: true,
      list: WordList.WORD_LIST_PLATFORM,
      words: ['sweepstake'],
      actor: 'operator-1',
    });
    const added = Date.now();
    await waitFor(
      async () =>
        (await replica.client.admit({ accountId: 'acc-1', message: message({ content }) })).result!
          .reason === R.PROCESS_FAILED_REASON_KEYWORD_BLOCK,
      { timeoutMs: 1000, description: 'the other replica to block the new word' },
    );
    expect(Date.now() - added).toBeLessThan(1000);
    await service.client.removeInterceptionWords({
      accountId: '',
      asOperator: true,
      list: WordList.WORD_LIST_PLATFORM,
      wordIds: [words[0].wordId],
    });
    await waitFor(
      async () =>
        (await replica.client.admit({ accountId: 'acc-1', message: message({ content }) })).result!
          .decision === AdmitDecision.ADMIT_DECISION_ALLOW,
      { timeoutMs: 1000, description: 'the other replica to drop the removed word' },
    );
  });
});
