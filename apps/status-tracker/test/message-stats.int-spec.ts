import { toTimestamp, type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { MaintenanceService } from '../src/maintenance/maintenance.service';
import {
  processFailedReasonEnum,
  sendFailureCodeEnum,
  statusEnum,
  templateTypeEnum,
} from '../src/messages/message-enums';
import { rollupCanServe } from '../src/messages/message-stats-rollup';
import {
  MessagesRepository,
  type MessageCountRow,
  type MessageFilter,
} from '../src/messages/messages.repository';
import { REBUILD_MESSAGE_STATS_HOURLY } from '../src/migrations/Migration20261205000000StatsRollup';
import { accepted, delivered, processFailed, sendFailed, submitted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

// GetMessageStats against ListMessages, property-style: a seeded generator spreads messages
// over the retention window with random attributes and outcomes (as the simulator sends them:
// overtaking receipts, timeouts, late receipts), then for two dozen random filter combinations
// the statistics must equal what paging through ListMessages with the same filters counts,
// bucket by bucket — and the two plans (hourly rollup with row edges, message rows alone) must
// give the same groups whenever the rollup can serve the filters.

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

/** A proto enum filter as the database number (the service's conversion), undefined if unset. */
function toDb<T extends string>(
  enumeration: { parse: (value: unknown) => T | undefined | null; toDb: (name: T) => number },
  value: unknown,
): number | undefined {
  const name = enumeration.parse(value);
  return name ? enumeration.toDb(name) : undefined;
}

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
    // Events arrive in rounds, each round a separate RecordEvents call (so a message changes in
    // several ingest transactions): receipts that overtake ACCEPTED (parked, then applied with
    // it), the ACCEPTEDs, SUBMITTEDs, outcomes; then the receipt-timeout sweep, then late
    // receipts replacing some synthetic timeouts. Every change moves the message between
    // rollup groups.
    const early: statusV1.MessageEvent[] = [];
    const acceptedEvents: statusV1.MessageEvent[] = [];
    const sent: statusV1.MessageEvent[] = [];
    const outcomes: statusV1.MessageEvent[] = [];
    const late: statusV1.MessageEvent[] = [];
    for (let i = 0; i < 400; i++) {
      const id = `s-${i}`;
      const at = new Date(NOW - 60_000 - Math.floor(random() * 29.5 * DAY));
      acceptedEvents.push(
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
      const outcome = Math.floor(random() * 7);
      const later = new Date(at.getTime() + 1000);
      const receiptAt = new Date(at.getTime() + 2000);
      if (outcome === 1) sent.push(submitted(id, later));
      if (outcome === 2) {
        sent.push(submitted(id, later));
        outcomes.push(delivered(id, receiptAt));
      }
      if (outcome === 3) outcomes.push(processFailed(id, later, pick(REASONS)));
      if (outcome === 4) {
        sent.push(submitted(id, later));
        outcomes.push(sendFailed(id, receiptAt, pick(CODES)));
      }
      if (outcome === 5) early.push(delivered(id, receiptAt));
      if (outcome === 6) {
        // Waits for a receipt; the sweep times out those sent over 72 hours ago, and a late
        // receipt replaces the synthetic SEND_FAILED/590 of some.
        sent.push(submitted(id, later));
        const lateReceipt = random();
        if (lateReceipt < 0.3) late.push(delivered(id, new Date(NOW - 1000)));
        else if (lateReceipt < 0.6) late.push(sendFailed(id, new Date(NOW - 1000), pick(CODES)));
      }
    }
    for (const round of [early, acceptedEvents, sent, outcomes]) await record(round);
    expect(await t.app.get(MaintenanceService).applyReceiptTimeouts(new Date())).toBeGreaterThan(0);
    await record(late);
  });

  async function record(events: statusV1.MessageEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 500) {
      const answer = await t.client.recordEvents({ events: events.slice(i, i + 500) });
      expect(answer.outcomes.filter((o) => String(o.result) === 'EVENT_RESULT_REJECTED')).toEqual(
        [],
      );
    }
  }

  /** The rollup as the migration would build it from the rows now (groups left at 0 aside). */
  async function rollupMismatches(): Promise<unknown[]> {
    const kept = await t.sql.query(
      `select account_id, hour, status, process_failed_reason, send_failure_code, template_type,
              sms_user, messages, entries
         from message_stats_hourly where messages <> 0 or entries <> 0`,
    );
    await t.sql.query('create temporary table rebuilt (like message_stats_hourly)');
    try {
      await t.sql.query(REBUILD_MESSAGE_STATS_HOURLY.replace('message_stats_hourly', 'rebuilt'));
      const rebuilt = await t.sql.query(`select * from rebuilt`);
      const key = (row: Record<string, unknown>) => JSON.stringify(row);
      const a = new Set(kept.rows.map(key));
      const b = new Set(rebuilt.rows.map(key));
      return [
        ...[...a].filter((row) => !b.has(row)).map((row) => ({ onlyInRollup: row })),
        ...[...b].filter((row) => !a.has(row)).map((row) => ({ onlyInRows: row })),
      ];
    } finally {
      await t.sql.query('drop table rebuilt');
    }
  }

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

  it('keeps the rollup equal to a rebuild from the message rows after every kind of change', async () => {
    expect(await rollupMismatches()).toEqual([]);
  });

  it('counts, over 24 random filter combinations and both bucket sizes, what the list returns', async () => {
    let rollupRounds = 0;
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
      // Both plans, group by group: the rollup (with row edges) and the message rows alone.
      const time = (at: statusV1.ListMessagesRequest['from']) =>
        at && new Date(at.seconds * 1000 + at.nanos / 1e6);
      const filter: MessageFilter = {
        accountId: 'acct-s',
        // Only to tell the plans apart: a phone filter is never served by the rollup.
        phone: filters.phone || undefined,
        templateId: filters.templateId || undefined,
        templateType: toDb(templateTypeEnum, filters.templateType),
        label: filters.label || undefined,
        smsUser: filters.smsUser || undefined,
        status: toDb(statusEnum, filters.status),
        statuses: filters.statuses.length
          ? filters.statuses.map((value) => toDb(statusEnum, value) as number)
          : undefined,
        processFailedReason: toDb(processFailedReasonEnum, filters.processFailedReason),
        sendFailureCode: sendFailureCodeEnum.parse(filters.sendFailureCode) ?? undefined,
        // The service's default: the retention window up to now.
        from: time(filters.from) ?? new Date(Date.now() - 30 * DAY),
        to: time(filters.to),
      };
      if (rollupCanServe(filter)) {
        const repository = t.app.get(MessagesRepository);
        const bucket = hourly ? 'hour' : 'day';
        const sorted = (rows: MessageCountRow[]) =>
          rows.map((row) => JSON.stringify(row)).sort((a, b) => a.localeCompare(b));
        expect({
          context,
          rows: sorted(await repository.countMessagesFromRollup(filter, bucket)),
        }).toEqual({
          context,
          rows: sorted(await repository.countMessages(filter, bucket)),
        });
        rollupRounds += 1;
      }
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
    // The seed gives both plans a fair share of the rounds.
    expect(rollupRounds).toBeGreaterThanOrEqual(8);
  }, 90_000); // dozens of list pages per round; slow only on a busy machine

  it('neither deadlocks nor loses counts when concurrent batches share rollup rows', async () => {
    // Eight batches at once, all in the same account and hour and rollup groups, each moving
    // its messages SENDING → WAIT_RESULT → DELIVERED/SEND_FAILED in two more concurrent rounds.
    const hour = new Date(Math.floor((NOW - 2 * 3_600_000) / 3_600_000) * 3_600_000);
    const ids = (batch: number) => Array.from({ length: 40 }, (_, i) => `c-${batch}-${i}`);
    const batches = Array.from({ length: 8 }, (_, batch) => ids(batch));
    const at = (i: number) => new Date(hour.getTime() + 1000 * i);
    const all = (make: (id: string, i: number) => statusV1.MessageEvent) =>
      Promise.all(batches.map((batch) => record(batch.map(make))));
    await all((id, i) => accepted(id, at(i), { accountId: 'acct-c', smsUser: `user-${i % 2}` }));
    await all((id, i) => submitted(id, at(i + 1)));
    await all((id, i) =>
      i % 3 === 0 ? sendFailed(id, at(i + 2), 'SEND_FAILURE_CODE_BUSY') : delivered(id, at(i + 2)),
    );
    expect(await rollupMismatches()).toEqual([]);
    const stats = await t.client.getMessageStats({
      ...NO_FILTERS,
      accountId: 'acct-c',
      bucketSize: 'STATS_BUCKET_SIZE_HOUR' as never,
    });
    expect(stats.total).toMatchObject({ messages: 320, entries: 320 });
  });

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
