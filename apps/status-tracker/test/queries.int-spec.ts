import { toTimestamp, type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { accepted, delivered, processFailed, sendFailed, submitted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

interface Seeded {
  id: string;
  accountId: string;
  phone: string;
  templateId: string;
  templateType: string;
  labels: string[];
  smsUser: string;
  status: string;
  reason?: string;
  code?: string;
  requestTime: Date;
}

const PHONES = ['+447911123456', '+447400123456', '+8613800138000'];
const TYPES = [
  'TEMPLATE_TYPE_VERIFICATION',
  'TEMPLATE_TYPE_NOTIFICATION',
  'TEMPLATE_TYPE_MARKETING',
];
const LABELS = [[], ['promo'], ['promo', 'vip'], ['vip']];
const OUTCOMES = ['SENDING', 'WAIT_RESULT', 'DELIVERED', 'PROCESS_FAILED', 'SEND_FAILED'] as const;
const REASONS = ['PROCESS_FAILED_REASON_UNSUBSCRIBE', 'PROCESS_FAILED_REASON_KEYWORD_BLOCK'];
const CODES = ['SEND_FAILURE_CODE_EMPTY', 'SEND_FAILURE_CODE_BUSY', 'SEND_FAILURE_CODE_POWER_OFF'];

describe('ListMessages, GetMessage and FindLatestMessage (real PostgreSQL and gRPC)', () => {
  let t: StatusTestApp;
  const seeded: Seeded[] = [];
  const NOW = Date.now();

  beforeAll(async () => {
    t = await startStatusTestApp('status-queries');
    const events: statusV1.MessageEvent[] = [];
    for (let i = 0; i < 150; i++) {
      const accountId = i % 10 === 9 ? 'acct-other' : 'acct-q';
      // Spread over 10 days; every 7th message shares its request time with the previous one.
      const minutesBack = i % 7 === 6 ? (i - 1) * 97 : i * 97;
      const requestTime = new Date(NOW - 60_000 - minutesBack * 60_000);
      const outcome = OUTCOMES[i % 5];
      const s: Seeded = {
        id: `q-${String(i).padStart(3, '0')}`,
        accountId,
        phone: PHONES[i % 3],
        templateId: `tpl-${i % 4}`,
        templateType: TYPES[i % 3],
        labels: LABELS[i % 4],
        smsUser: `user-${i % 2}`,
        status: `MESSAGE_STATUS_${outcome}`,
        requestTime,
      };
      events.push(
        accepted(s.id, requestTime, {
          accountId,
          recipient: s.phone,
          templateId: s.templateId,
          templateType: s.templateType,
          labels: s.labels,
          smsUser: s.smsUser,
        }),
      );
      const later = new Date(requestTime.getTime() + 1000);
      if (outcome === 'WAIT_RESULT' || outcome === 'DELIVERED' || outcome === 'SEND_FAILED')
        events.push(submitted(s.id, later));
      if (outcome === 'DELIVERED') events.push(delivered(s.id, new Date(later.getTime() + 1000)));
      if (outcome === 'PROCESS_FAILED') {
        s.reason = REASONS[i % 2];
        events.push(processFailed(s.id, later, s.reason));
      }
      if (outcome === 'SEND_FAILED') {
        s.code = CODES[i % 3];
        events.push(sendFailed(s.id, new Date(later.getTime() + 1000), s.code));
      }
      seeded.push(s);
    }
    const response = await t.client.recordEvents({ events });
    expect(response.outcomes.filter((o) => String(o.result) !== 'EVENT_RESULT_APPLIED')).toEqual(
      [],
    );
  });
  afterAll(() => t?.close());

  const base = (
    overrides: Partial<statusV1.ListMessagesRequest> = {},
  ): statusV1.ListMessagesRequest => ({
    accountId: 'acct-q',
    phone: '',
    templateId: '',
    templateType: 'TEMPLATE_TYPE_UNSPECIFIED' as never,
    label: '',
    smsUser: '',
    status: 'MESSAGE_STATUS_UNSPECIFIED' as never,
    processFailedReason: 'PROCESS_FAILED_REASON_UNSPECIFIED' as never,
    sendFailureCode: 'SEND_FAILURE_CODE_UNSPECIFIED' as never,
    from: undefined,
    to: undefined,
    pageSize: 0,
    pageToken: '',
    statuses: [],
    ...overrides,
  });

  async function listAll(request: statusV1.ListMessagesRequest, between?: () => Promise<void>) {
    const ids: string[] = [];
    let pageToken = '';
    for (let page = 0; page < 100; page++) {
      const response = await t.client.listMessages({ ...request, pageToken });
      ids.push(...response.messages.map((m) => m.messageId));
      if (!response.nextPageToken) return ids;
      pageToken = response.nextPageToken;
      await between?.();
    }
    throw new Error('too many pages');
  }

  const expected = (predicate: (s: Seeded) => boolean) =>
    seeded
      .filter((s) => s.accountId === 'acct-q' && predicate(s))
      .sort(
        (a, b) =>
          b.requestTime.getTime() - a.requestTime.getTime() ||
          (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .map((s) => s.id);

  const from = new Date(NOW - 5 * 86_400_000);
  const to = new Date(NOW - 2 * 86_400_000);
  const FILTERS: [string, Partial<statusV1.ListMessagesRequest>, (s: Seeded) => boolean][] = [
    ['no filter', {}, () => true],
    ['phone (any format)', { phone: '+44 7400 123456' }, (s) => s.phone === '+447400123456'],
    ['template id', { templateId: 'tpl-2' }, (s) => s.templateId === 'tpl-2'],
    [
      'template type',
      { templateType: 'TEMPLATE_TYPE_MARKETING' as never },
      (s) => s.templateType === 'TEMPLATE_TYPE_MARKETING',
    ],
    ['label', { label: 'vip' }, (s) => s.labels.includes('vip')],
    ['sms user', { smsUser: 'user-1' }, (s) => s.smsUser === 'user-1'],
    [
      'status',
      { status: 'MESSAGE_STATUS_DELIVERED' as never },
      (s) => s.status === 'MESSAGE_STATUS_DELIVERED',
    ],
    [
      'process-failed reason',
      { processFailedReason: 'PROCESS_FAILED_REASON_UNSUBSCRIBE' as never },
      (s) => s.reason === 'PROCESS_FAILED_REASON_UNSUBSCRIBE',
    ],
    [
      'send-failure code',
      { sendFailureCode: 'SEND_FAILURE_CODE_EMPTY' as never },
      (s) => s.code === 'SEND_FAILURE_CODE_EMPTY',
    ],
    [
      'period',
      { from: toTimestamp(from), to: toTimestamp(to) },
      (s) => s.requestTime >= from && s.requestTime < to,
    ],
    [
      'phone + label + period',
      { phone: '+447911123456', label: 'promo', from: toTimestamp(from) },
      (s) => s.phone === '+447911123456' && s.labels.includes('promo') && s.requestTime >= from,
    ],
    [
      'status + code + sms user',
      {
        status: 'MESSAGE_STATUS_SEND_FAILED' as never,
        sendFailureCode: 'SEND_FAILURE_CODE_BUSY' as never,
        smsUser: 'user-0',
      },
      (s) => s.code === 'SEND_FAILURE_CODE_BUSY' && s.smsUser === 'user-0',
    ],
    [
      'template id + type + label + status',
      {
        templateId: 'tpl-1',
        templateType: 'TEMPLATE_TYPE_NOTIFICATION' as never,
        label: 'promo',
        status: 'MESSAGE_STATUS_WAIT_RESULT' as never,
      },
      (s) =>
        s.templateId === 'tpl-1' &&
        s.templateType === 'TEMPLATE_TYPE_NOTIFICATION' &&
        s.labels.includes('promo') &&
        s.status === 'MESSAGE_STATUS_WAIT_RESULT',
    ],
    [
      'every filter at once',
      {
        phone: '+447911123456',
        templateId: 'tpl-0',
        templateType: 'TEMPLATE_TYPE_VERIFICATION' as never,
        label: 'promo',
        smsUser: 'user-0',
        status: 'MESSAGE_STATUS_PROCESS_FAILED' as never,
        processFailedReason: 'PROCESS_FAILED_REASON_KEYWORD_BLOCK' as never,
        from: toTimestamp(new Date(NOW - 20 * 86_400_000)),
        to: toTimestamp(new Date(NOW)),
      },
      (s) =>
        s.phone === '+447911123456' &&
        s.templateId === 'tpl-0' &&
        s.templateType === 'TEMPLATE_TYPE_VERIFICATION' &&
        s.labels.includes('promo') &&
        s.smsUser === 'user-0' &&
        s.reason === 'PROCESS_FAILED_REASON_KEYWORD_BLOCK',
    ],
    [
      'several statuses',
      {
        statuses: ['MESSAGE_STATUS_SEND_FAILED', 'MESSAGE_STATUS_PROCESS_FAILED'] as never,
      },
      (s) =>
        s.status === 'MESSAGE_STATUS_SEND_FAILED' || s.status === 'MESSAGE_STATUS_PROCESS_FAILED',
    ],
    [
      'several statuses + send-failure code',
      {
        statuses: ['MESSAGE_STATUS_DELIVERED', 'MESSAGE_STATUS_SEND_FAILED'] as never,
        sendFailureCode: 'SEND_FAILURE_CODE_BUSY' as never,
      },
      (s) => s.code === 'SEND_FAILURE_CODE_BUSY',
    ],
    [
      'status and statuses together (both apply)',
      {
        status: 'MESSAGE_STATUS_DELIVERED' as never,
        statuses: ['MESSAGE_STATUS_DELIVERED', 'MESSAGE_STATUS_SENDING'] as never,
      },
      (s) => s.status === 'MESSAGE_STATUS_DELIVERED',
    ],
  ];

  it.each(FILTERS)(
    'filters by %s, newest first, across pages',
    async (_name, filter, predicate) => {
      const want = expected(predicate);
      expect(await listAll(base({ ...filter, pageSize: 7 }))).toEqual(want);
    },
  );

  it('has a non-trivial answer for most filters (the data set exercises them)', () => {
    for (const [name, , predicate] of FILTERS.filter(([n]) => n !== 'every filter at once')) {
      expect([name, expected(predicate).length > 0]).toEqual([name, true]);
    }
  });

  it('returns the fields of each message, without the send log', async () => {
    const response = await t.client.listMessages(
      base({ pageSize: 1, status: 'MESSAGE_STATUS_SEND_FAILED' as never }),
    );
    expect(response.messages[0]).toMatchObject({
      accountId: 'acct-q',
      status: 'MESSAGE_STATUS_SEND_FAILED',
      sendFailureCode: expect.stringMatching(/^SEND_FAILURE_CODE_/),
      channel: 'ch-a',
      sendLog: [],
    });
  });

  it('defaults to 50 per page and allows 500', async () => {
    expect((await t.client.listMessages(base())).messages).toHaveLength(50);
    expect((await t.client.listMessages(base({ pageSize: 500 }))).messages).toHaveLength(
      expected(() => true).length,
    );
  });

  it('walks the result set with no gaps and no repeats while new events arrive', async () => {
    const want = expected(() => true);
    let round = 0;
    const seen = await listAll(base({ pageSize: 9 }), async () => {
      round++;
      const fresh = `q-new-${round}`;
      // New messages (newer than any page) and new receipts for rows not read yet.
      const unread = want[want.length - round];
      await t.client.recordEvents({
        events: [
          accepted(fresh, new Date(), { accountId: 'acct-q' }),
          delivered(unread, new Date()),
        ],
      });
    });
    expect(round).toBeGreaterThan(5);
    expect(seen).toEqual(want);
  });

  const invalid = async (request: statusV1.ListMessagesRequest, message: RegExp) => {
    await expect(t.client.listMessages(request)).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(message),
    });
  };

  it('refuses a token of another account, of other filters, or edited', async () => {
    const first = await t.client.listMessages(base({ pageSize: 5 }));
    const token = first.nextPageToken;
    expect(token).not.toBe('');
    await invalid(
      base({ accountId: 'acct-other', pageToken: token }),
      /another account or other filters/,
    );
    await invalid(base({ label: 'vip', pageToken: token }), /another account or other filters/);
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), id: 'q-000' }),
    ).toString('base64url');
    await invalid(base({ pageToken: `${forged}.${signature}` }), /not a token this service issued/);
    await invalid(base({ pageToken: 'abc' }), /malformed/);
    // The page size may change between pages.
    await expect(
      t.client.listMessages(base({ pageSize: 3, pageToken: token })),
    ).resolves.toMatchObject({
      messages: expect.any(Array),
    });
  });

  it.each<[string, Partial<statusV1.ListMessagesRequest>, RegExp]>([
    [
      'a period reaching before the retention window',
      { from: toTimestamp(new Date(Date.now() - 31 * 86_400_000)) },
      /before the retention window of 30 days/,
    ],
    [
      'a period ending before the retention window',
      { to: toTimestamp(new Date(Date.now() - 31 * 86_400_000)) },
      /before the retention window/,
    ],
    [
      'from after to',
      {
        from: toTimestamp(new Date(Date.now() - 3600_000)),
        to: toTimestamp(new Date(Date.now() - 7200_000)),
      },
      /from must be before to/,
    ],
    [
      'from equal to to',
      {
        from: toTimestamp(new Date(Date.now() - 3600_000)),
        to: toTimestamp(new Date(Date.now() - 3600_000)),
      },
      /from must be before to/,
    ],
    ['an unknown status', { status: 42 as never }, /status is not a known value/],
    [
      'an unknown status among statuses',
      { statuses: ['MESSAGE_STATUS_DELIVERED', 42] as never },
      /statuses\[1\] is not a known value/,
    ],
    [
      'an unspecified status among statuses',
      { statuses: ['MESSAGE_STATUS_UNSPECIFIED'] as never },
      /statuses\[0\] must not be unspecified/,
    ],
    [
      'an unknown template type',
      { templateType: 9 as never },
      /template_type is not a known value/,
    ],
    [
      'an unknown reason',
      { processFailedReason: 77 as never },
      /process_failed_reason is not a known value/,
    ],
    [
      'an unknown send-failure code',
      { sendFailureCode: 505 as never },
      /send_failure_code is not a known value/,
    ],
    ['page size 501', { pageSize: 501 }, /page_size must be 1..500/],
    ['no account', { accountId: '' }, /account_id is required/],
    ['a bad phone', { phone: 'call me' }, /phone "call me"/],
  ])('refuses %s with INVALID_ARGUMENT', async (_name, overrides, message) => {
    await invalid(base(overrides), message);
  });

  it('reads one message with its whole send log, only for its own account', async () => {
    const s = seeded.find(
      (x) => x.status === 'MESSAGE_STATUS_DELIVERED' && x.accountId === 'acct-q',
    ) as Seeded;
    const { message } = await t.client.getMessage({ accountId: 'acct-q', messageId: s.id });
    expect(message?.sendLog.map((e) => e.kind)).toEqual([
      'EVENT_KIND_ACCEPTED',
      'EVENT_KIND_SUBMITTED',
      'EVENT_KIND_DELIVERED',
    ]);
    await expect(
      t.client.getMessage({ accountId: 'acct-other', messageId: s.id }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    await expect(
      t.client.getMessage({ accountId: 'acct-q', messageId: 'nope' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
  });

  it('reads several messages by account and id in one call, one match per reference', async () => {
    const own = seeded.filter((m) => m.accountId === 'acct-q').slice(0, 3);
    const other = seeded.find((m) => m.accountId === 'acct-other')!;
    const { matches } = await t.client.getMessages({
      refs: [
        ...own.map((m) => ({ accountId: 'acct-q', messageId: m.id })),
        // Another account's message and a missing one are answered alike: not found.
        { accountId: 'acct-q', messageId: other.id },
        { accountId: 'acct-q', messageId: 'nope' },
      ],
    });
    expect(matches.map((m) => [m.index, m.found, m.message?.messageId])).toEqual([
      [0, true, own[0].id],
      [1, true, own[1].id],
      [2, true, own[2].id],
      [3, false, undefined],
      [4, false, undefined],
    ]);
    expect(matches[0]?.message).toMatchObject({ recipient: own[0].phone, sendLog: [] });
    expect(await t.client.getMessages({ refs: [] })).toEqual({ matches: [] });
  });

  it('refuses GetMessages with a reference missing its account or id, or over 1,000', async () => {
    for (const [refs, details] of [
      [[{ accountId: '', messageId: 'q-000' }], /refs\[0\].account_id is required/],
      [
        [
          { accountId: 'acct-q', messageId: 'q-000' },
          { accountId: 'acct-q', messageId: '' },
        ],
        /refs\[1\].message_id is required/,
      ],
      [
        Array.from({ length: 1001 }, () => ({ accountId: 'acct-q', messageId: 'q-000' })),
        /at most 1000/,
      ],
    ] as const) {
      await expect(t.client.getMessages({ refs: [...refs] })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(details),
      });
    }
  });

  it('refuses GetMessage without account or message id', async () => {
    await expect(t.client.getMessage({ accountId: '', messageId: 'q-000' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: 'account_id is required',
    });
    await expect(t.client.getMessage({ accountId: 'acct-q', messageId: '' })).rejects.toMatchObject(
      { code: GrpcStatus.INVALID_ARGUMENT, details: 'message_id is required' },
    );
  });

  describe('FindLatestMessage', () => {
    const latestTo = (phone: string, accountId: string | undefined, at: number) =>
      seeded
        .filter(
          (s) =>
            s.phone === phone &&
            (!accountId || s.accountId === accountId) &&
            s.status !== 'MESSAGE_STATUS_PROCESS_FAILED' &&
            s.requestTime.getTime() > at - 72 * 3_600_000 &&
            s.requestTime.getTime() <= at,
        )
        .sort(
          (a, b) => b.requestTime.getTime() - a.requestTime.getTime() || (a.id < b.id ? 1 : -1),
        )[0]?.id;

    it('answers a batch of lookups by position, within 72 h before each lookup time', async () => {
      const fourDaysAgo = NOW - 4 * 86_400_000;
      const lookups = [
        // (+447911123456 also receives the messages the pagination test adds.)
        { phone: '+44 7400 123456', accountId: '', at: undefined, messageId: '' },
        { phone: '8613800138000', accountId: 'acct-other', at: undefined, messageId: '' },
        {
          phone: '+8613800138000',
          accountId: '',
          at: toTimestamp(new Date(fourDaysAgo)),
          messageId: '',
        },
        { phone: '+12025550123', accountId: '', at: undefined, messageId: '' },
        {
          phone: '+447911123456',
          accountId: 'acct-q',
          at: toTimestamp(new Date(NOW - 30 * 86_400_000)),
          messageId: '',
        },
      ];
      const { matches } = await t.client.findLatestMessage({ lookups });
      expect(matches.map((m) => [m.index, m.found, m.message?.messageId])).toEqual([
        [0, true, latestTo('+447400123456', undefined, Date.now())],
        [1, true, latestTo('+8613800138000', 'acct-other', Date.now())],
        [2, true, latestTo('+8613800138000', undefined, fourDaysAgo)],
        [3, false, undefined],
        [4, false, undefined],
      ]);
    });

    it('finds a message named by id only if it went to the phone within the window', async () => {
      const latest = latestTo('+447400123456', undefined, Date.now());
      const { matches } = await t.client.findLatestMessage({
        lookups: [
          { phone: '+447400123456', accountId: '', at: undefined, messageId: latest },
          { phone: '+12025550123', accountId: '', at: undefined, messageId: latest },
          { phone: '+447400123456', accountId: '', at: undefined, messageId: 'no-such-message' },
        ],
      });
      expect(matches.map((m) => [m.index, m.found, m.message?.messageId])).toEqual([
        [0, true, latest],
        [1, false, undefined],
        [2, false, undefined],
      ]);
    });

    it('refuses a bad phone or more than 1,000 lookups', async () => {
      await expect(
        t.client.findLatestMessage({
          lookups: [{ phone: 'x', accountId: '', at: undefined, messageId: '' }],
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: expect.stringMatching(/lookups\[0\].phone/),
      });
      const many = Array.from({ length: 1001 }, () => ({
        phone: '+447911123456',
        accountId: '',
        at: undefined,
        messageId: '',
      }));
      await expect(t.client.findLatestMessage({ lookups: many })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
      });
    });
  });
});
