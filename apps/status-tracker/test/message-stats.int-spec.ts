import { toTimestamp, type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { accepted, delivered, processFailed, sendFailed, submitted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

// GetMessageStats against ListMessages, property-style: a seeded generator spreads messages
// over the retention window with random attributes and outcomes (as the simulator sends them),
// then for two dozen random filter combinations the statistics must equal what paging through
// ListMessages with the same filters counts, bucket by bucket.

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20261204;
const DAY = 86_400_000;
const PHONES = ['+447911123456', '+447400123456', '+8613800138000'];
const TYPES = [
  'TEMPLATE_TYPE_VERIFICATION',
  'TEMPLATE_TYPE_NOTIFICATION',
  'TEMPLATE_TYPE_MARKETING',
];
const LABELS = [[], ['promo'], ['promo', 'vip'], ['vip']];
const REASONS = [
  'PROCESS_FAILED_REASON_GLOBAL_BLOCK',
  'PROCESS_FAILED_REASON_UNSUBSCRIBE',
  'PROCESS_FAILED_REASON_FREQUENCY_OVERRUN',
];
const CODES = ['SEND_FAILURE_CODE_EMPTY', 'SEND_FAILURE_CODE_BUSY', 'SEND_FAILURE_CODE_OTHER'];
const STATUSES = [
  'MESSAGE_STATUS_SENDING',
  'MESSAGE_STATUS_WAIT_RESULT',
  'MESSAGE_STATUS_DELIVERED',
  'MESSAGE_STATUS_PROCESS_FAILED',
  'MESSAGE_STATUS_SEND_FAILED',
];

type Filters = Omit<statusV1.ListMessagesRequest, 'pageSize' | 'pageToken'>;

const NO_FILTERS: Filters = {
  accountId: 'acct-s',
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
  statuses: [],
};

describe('GetMessageStats equals counting ListMessages (real PostgreSQL and gRPC)', () => {
  let t: StatusTestApp;
  const NOW = Date.now();
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  beforeAll(async () => {
    t = await startStatusTestApp('status-stats');
    const events: statusV1.MessageEvent[] = [];
    for (let i = 0; i < 400; i++) {
      const id = `s-${i}`;
      const at = new Date(NOW - 60_000 - Math.floor(random() * 29.5 * DAY));
      events.push(
        accepted(id, at, {
          accountId: random() < 0.85 ? 'acct-s' : 'acct-other',
          smsUser: pick(['user-1', 'user-2', 'user-3']),
          recipient: pick(PHONES),
          entries: 1 + Math.floor(random() * 3),
          templateId: pick(['tpl-1', 'tpl-2']),
          templateType: pick(TYPES),
          labels: pick(LABELS),
        }),
      );
      const outcome = Math.floor(random() * 5);
      const later = new Date(at.getTime() + 1000);
      if (outcome === 1) events.push(submitted(id, later));
      if (outcome === 2) events.push(submitted(id, later), delivered(id, later));
      if (outcome === 3) events.push(processFailed(id, later, pick(REASONS)));
      if (outcome === 4) events.push(submitted(id, later), sendFailed(id, later, pick(CODES)));
    }
    for (let i = 0; i < events.length; i += 500) {
      const answer = await t.client.recordEvents({ events: events.slice(i, i + 500) });
      expect(answer.outcomes.every((o) => String(o.result) === 'EVENT_RESULT_APPLIED')).toBe(true);
    }
  });

  afterAll(() => t?.close());

  async function listAll(filters: Filters): Promise<statusV1.Message[]> {
    const all: statusV1.Message[] = [];
    let pageToken = '';
    do {
      const page = await t.client.listMessages({ ...filters, pageSize: 500, pageToken });
      all.push(...page.messages);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }

  function randomFilters(): Filters {
    const filters: Filters = { ...NO_FILTERS };
    const use = () => random() < 0.3;
    if (use()) filters.phone = pick(PHONES);
    if (use()) filters.templateId = pick(['tpl-1', 'tpl-2']);
    if (use()) filters.templateType = pick(TYPES) as never;
    if (use()) filters.label = pick(['promo', 'vip']);
    if (use()) filters.smsUser = pick(['user-1', 'user-2', 'user-3']);
    const status = use() ? pick(STATUSES) : undefined;
    if (status) filters.status = status as never;
    if (status === 'MESSAGE_STATUS_PROCESS_FAILED' && use())
      filters.processFailedReason = pick(REASONS) as never;
    if (status === 'MESSAGE_STATUS_SEND_FAILED' && use())
      filters.sendFailureCode = pick(CODES) as never;
    // Or several statuses at once (any of them).
    if (!status && use())
      filters.statuses = [...new Set([pick(STATUSES), pick(STATUSES)])] as never;
    if (use()) {
      const from = NOW - Math.floor(random() * 29 * DAY);
      filters.from = toTimestamp(new Date(from));
      if (use()) filters.to = toTimestamp(new Date(from + Math.floor(random() * 5 * DAY) + 1));
    }
    return filters;
  }

  const bucketStart = (time: Date, step: number) => Math.floor(time.getTime() / step) * step;

  it('counts, over 24 random filter combinations and both bucket sizes, what the list returns', async () => {
    for (let round = 0; round < 24; round++) {
      const filters = round === 0 ? NO_FILTERS : randomFilters();
      const hourly = round % 2 === 1;
      const step = hourly ? 3_600_000 : DAY;
      const [listed, stats] = await Promise.all([
        listAll(filters),
        t.client.getMessageStats({
          ...filters,
          bucketSize: (hourly ? 'STATS_BUCKET_SIZE_HOUR' : 'STATS_BUCKET_SIZE_DAY') as never,
        }),
      ]);
      const context = `round ${round}, filters ${JSON.stringify(filters)}`;
      const total = stats.total!;
      expect({ context, messages: total.messages }).toEqual({ context, messages: listed.length });
      expect(total.entries).toBe(listed.reduce((sum, m) => sum + m.entries, 0));

      const count = <K extends string>(key: (m: statusV1.Message) => K | undefined) => {
        const counts: Record<string, number> = {};
        for (const m of listed) {
          const k = key(m);
          if (k !== undefined) counts[k] = (counts[k] ?? 0) + 1;
        }
        return counts;
      };
      const asRecord = <T>(items: T[], key: (item: T) => string, value: (item: T) => number) =>
        Object.fromEntries(items.map((item) => [key(item), value(item)]));
      expect(
        asRecord(
          total.statuses,
          (s) => s.status,
          (s) => s.messages,
        ),
      ).toEqual(count((m) => m.status));
      expect(
        asRecord(
          total.processFailedReasons,
          (r) => r.reason,
          (r) => r.messages,
        ),
      ).toEqual(
        count((m) =>
          String(m.processFailedReason) === 'PROCESS_FAILED_REASON_UNSPECIFIED'
            ? undefined
            : m.processFailedReason,
        ),
      );
      expect(
        asRecord(
          total.sendFailureCodes,
          (c) => c.code,
          (c) => c.messages,
        ),
      ).toEqual(
        count((m) =>
          String(m.sendFailureCode) === 'SEND_FAILURE_CODE_UNSPECIFIED'
            ? undefined
            : m.sendFailureCode,
        ),
      );

      // Bucket by bucket, and every bucket of the period present once, in order.
      const perBucket = new Map<number, { messages: number; delivered: number }>();
      for (const m of listed) {
        const start = bucketStart(
          new Date(m.requestTime!.seconds * 1000 + m.requestTime!.nanos / 1e6),
          step,
        );
        const slot = perBucket.get(start) ?? { messages: 0, delivered: 0 };
        slot.messages += 1;
        if (String(m.status) === 'MESSAGE_STATUS_DELIVERED') slot.delivered += 1;
        perBucket.set(start, slot);
      }
      const starts = stats.buckets.map((b) => b.start!.seconds * 1000);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(new Set(starts).size).toBe(starts.length);
      for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBe(step);
      for (const bucket of stats.buckets) {
        const expected = perBucket.get(bucket.start!.seconds * 1000) ?? {
          messages: 0,
          delivered: 0,
        };
        expect(bucket.messages).toBe(expected.messages);
        expect(
          bucket.statuses.find((s) => String(s.status) === 'MESSAGE_STATUS_DELIVERED')?.messages ??
            0,
        ).toBe(expected.delivered);
      }
      expect(stats.buckets.reduce((sum, b) => sum + b.messages, 0)).toBe(listed.length);
    }
  }, 90_000); // dozens of list pages per round; slow only on a busy machine

  it('answers 30 day buckets by default and 24 per day by hour', async () => {
    const byDay = await t.client.getMessageStats({
      ...NO_FILTERS,
      bucketSize: 'STATS_BUCKET_SIZE_UNSPECIFIED' as never,
    });
    expect(byDay.buckets.length).toBeGreaterThanOrEqual(30);
    expect(byDay.buckets.length).toBeLessThanOrEqual(31);
    const from = new Date(Math.floor(NOW / DAY) * DAY - DAY);
    const byHour = await t.client.getMessageStats({
      ...NO_FILTERS,
      from: toTimestamp(from),
      to: toTimestamp(new Date(from.getTime() + DAY)),
      bucketSize: 'STATS_BUCKET_SIZE_HOUR' as never,
    });
    expect(byHour.buckets).toHaveLength(24);
  });

  it.each([
    ['no account', { accountId: '' }, /account_id is required/],
    [
      'from before the retention window',
      { from: toTimestamp(new Date(NOW - 40 * DAY)) },
      /retention window/,
    ],
    [
      'from after to',
      { from: toTimestamp(new Date(NOW - DAY)), to: toTimestamp(new Date(NOW - 2 * DAY)) },
      /from must be before to/,
    ],
    ['an unknown bucket size', { bucketSize: 7 as never }, /bucket_size is not a known value/],
    ['an unknown status', { status: 9 as never }, /status is not a known value/],
  ])('refuses %s with INVALID_ARGUMENT', async (_name, overrides, message) => {
    await expect(
      t.client.getMessageStats({
        ...NO_FILTERS,
        bucketSize: 'STATS_BUCKET_SIZE_DAY' as never,
        ...(overrides as Partial<statusV1.GetMessageStatsRequest>),
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(message),
    });
  });
});
