import { type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { MaintenanceService } from '../src/maintenance/maintenance.service';
import {
  accepted,
  delivered,
  minutesAgo,
  processFailed,
  sendFailed,
  submitted,
} from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

describe('RecordEvents (real PostgreSQL, Redis and gRPC)', () => {
  let t: StatusTestApp;
  let seq = 0;
  const id = (label: string) => `${label}-${++seq}-${Date.now()}`;

  beforeAll(async () => {
    t = await startStatusTestApp('status-ingest');
  });
  afterAll(() => t?.close());

  const record = (events: statusV1.MessageEvent[]) => t.client.recordEvents({ events });
  const getMessage = (messageId: string, accountId = 'acct-1') =>
    t.client.getMessage({ accountId, messageId }).then((r) => r.message as statusV1.Message);
  const snapshot = async () =>
    (
      await t.sql.query<{ rows: string }>(
        `select (select coalesce(json_agg(m order by message_id), '[]') from message m)::text ||
                (select coalesce(json_agg(k order by message_id), '[]') from message_key k)::text ||
                (select coalesce(json_agg(p order by message_id, event_key), '[]') from parked_event p)::text ||
                (select coalesce(json_agg(o order by message_id), '[]') from failure_outbox o)::text as rows`,
      )
    ).rows[0]?.rows;

  it('walks the happy path ACCEPTED → SUBMITTED → DELIVERED with the send log', async () => {
    const m = id('happy');
    const sentAt = minutesAgo(9);
    const response = await record([
      accepted(m, minutesAgo(10), { labels: ['promo', 'promo', 'vip', 'say "hi" \\ {x,y}'] }),
      submitted(m, sentAt),
      delivered(m, minutesAgo(8)),
    ]);
    expect(response.outcomes.map((o) => [o.index, o.result, o.status])).toEqual([
      [0, 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_SENDING'],
      [1, 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_WAIT_RESULT'],
      [2, 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_DELIVERED'],
    ]);
    const message = await getMessage(m);
    expect(message).toMatchObject({
      messageId: m,
      status: 'MESSAGE_STATUS_DELIVERED',
      channel: 'ch-a',
      operator: 'op-x',
      labels: ['promo', 'vip', 'say "hi" \\ {x,y}'],
      recipient: '+447911123456',
    });
    expect(message.channelSendTime).toEqual({
      seconds: Math.floor(sentAt.getTime() / 1000),
      nanos: (sentAt.getTime() % 1000) * 1_000_000,
    });
    expect(message.sendLog.map((e) => [e.kind, e.result, e.statusAfter])).toEqual([
      ['EVENT_KIND_ACCEPTED', 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_SENDING'],
      ['EVENT_KIND_SUBMITTED', 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_WAIT_RESULT'],
      ['EVENT_KIND_DELIVERED', 'EVENT_RESULT_APPLIED', 'MESSAGE_STATUS_DELIVERED'],
    ]);
  });

  it('answers a batch mixing valid, duplicate and invalid events one by one, storing only the valid ones', async () => {
    const good = id('mix-good');
    const bad = id('mix-bad');
    const at = minutesAgo(5);
    await record([accepted(good, at)]);
    const before = await snapshot();
    const response = await record([
      accepted(good, at), // duplicate of the ACCEPTED above (same derived key)
      accepted(bad, at, { recipient: '12' }),
      accepted(bad, at, { entries: 0 }),
      accepted(bad, at, { entries: 4294967295 }),
      accepted(bad, at, { templateType: 'TEMPLATE_TYPE_UNSPECIFIED' }),
      accepted(bad, at, { templateType: 7 as never }),
      accepted(bad, new Date(Date.now() - 31 * 86_400_000)),
      accepted(bad, new Date(Date.now() + 86_400_000)),
      accepted('', at),
      { ...submitted(good, at), occurredAt: undefined },
      sendFailed(good, at, 'SEND_FAILURE_CODE_UNSPECIFIED'),
      sendFailed(good, at, 505 as never),
      processFailed(good, at, 'PROCESS_FAILED_REASON_UNSPECIFIED'),
      { eventId: '', messageId: good, occurredAt: submitted(good, at).occurredAt },
      { ...submitted(good, at), submitted: { channel: '', operator: '' } },
    ]);
    expect(response.outcomes.map((o) => o.result)).toEqual([
      'EVENT_RESULT_DUPLICATE',
      ...Array(14).fill('EVENT_RESULT_REJECTED'),
    ]);
    expect(response.outcomes.map((o) => o.reason)).toEqual([
      '',
      expect.stringMatching(/accepted.recipient "12"/),
      'accepted.entries must be 1..255',
      'accepted.entries must be 1..255',
      expect.stringMatching(/template_type TEMPLATE_TYPE_UNSPECIFIED is not a known/),
      expect.stringMatching(/template_type 7 is not a known/),
      expect.stringMatching(/before the retention window/),
      expect.stringMatching(/in the future/),
      'message_id is required',
      'occurred_at is required',
      expect.stringMatching(/send_failed.code SEND_FAILURE_CODE_UNSPECIFIED/),
      expect.stringMatching(/send_failed.code 505/),
      expect.stringMatching(/process_failed.reason/),
      expect.stringMatching(/no kind/),
      'submitted.channel is required',
    ]);
    expect(await snapshot()).toBe(before);

    // Valid events next to invalid ones in one batch: the valid ones are stored.
    const fresh = id('mix-fresh');
    const mixed = await record([
      accepted(fresh, at),
      accepted(bad, at, { recipient: 'nope' }),
      submitted(fresh, at),
      submitted(fresh, at),
    ]);
    expect(mixed.outcomes.map((o) => o.result)).toEqual([
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_REJECTED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_DUPLICATE',
    ]);
    expect((await getMessage(fresh)).status).toBe('MESSAGE_STATUS_WAIT_RESULT');
    await expect(getMessage(bad)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });

  it('refuses more than 1,000 events per call without storing any', async () => {
    const before = await snapshot();
    const events = Array.from({ length: 1001 }, (_, i) => accepted(id(`big${i}`), minutesAgo(1)));
    await expect(record(events)).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(/at most 1000/),
    });
    expect(await snapshot()).toBe(before);
  });

  it('is idempotent by event_id too', async () => {
    const m = id('evid');
    await record([accepted(m, minutesAgo(3)), submitted(m, minutesAgo(2), 'ch', 'sub-1')]);
    const again = await record([submitted(m, minutesAgo(1), 'other', 'sub-1')]);
    expect(again.outcomes[0]).toMatchObject({
      result: 'EVENT_RESULT_DUPLICATE',
      status: 'MESSAGE_STATUS_WAIT_RESULT',
    });
    expect((await getMessage(m)).channel).toBe('ch');
  });

  it('keeps the first final outcome; a conflicting receipt only reaches the send log', async () => {
    const m = id('conflict');
    await record([
      accepted(m, minutesAgo(10)),
      submitted(m, minutesAgo(9)),
      sendFailed(m, minutesAgo(8)),
    ]);
    const later = await record([delivered(m, minutesAgo(7))]);
    expect(later.outcomes[0]).toMatchObject({
      result: 'EVENT_RESULT_IGNORED',
      status: 'MESSAGE_STATUS_SEND_FAILED',
      reason: expect.stringMatching(/final status SEND_FAILED/),
    });
    const message = await getMessage(m);
    expect(message).toMatchObject({
      status: 'MESSAGE_STATUS_SEND_FAILED',
      sendFailureCode: 'SEND_FAILURE_CODE_EMPTY',
    });
    expect(message.sendLog.map((e) => e.result)).toEqual([
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_IGNORED',
    ]);
  });

  it('applies a receipt that overtakes SUBMITTED, then only records the channel send time', async () => {
    const m = id('overtake');
    await record([accepted(m, minutesAgo(10)), delivered(m, minutesAgo(8))]);
    // One reading of the clock: a second boundary between two readings would fail the check below.
    const sentAt = minutesAgo(9);
    const late = await record([submitted(m, sentAt)]);
    expect(late.outcomes[0]).toMatchObject({
      result: 'EVENT_RESULT_APPLIED',
      status: 'MESSAGE_STATUS_DELIVERED',
    });
    const message = await getMessage(m);
    expect(message.status).toBe('MESSAGE_STATUS_DELIVERED');
    expect(message.channel).toBe('ch-a');
    expect(message.channelSendTime?.seconds).toBe(Math.floor(sentAt.getTime() / 1000));
  });

  it('parks receipts for an unknown message and applies them when ACCEPTED arrives', async () => {
    const m = id('parked');
    const deliveredAt = minutesAgo(3);
    const first = await record([submitted(m, minutesAgo(4)), delivered(m, deliveredAt)]);
    expect(first.outcomes.map((o) => [o.result, o.status])).toEqual([
      ['EVENT_RESULT_PARKED', 'MESSAGE_STATUS_UNSPECIFIED'],
      ['EVENT_RESULT_PARKED', 'MESSAGE_STATUS_UNSPECIFIED'],
    ]);
    const repeat = await record([delivered(m, deliveredAt)]);
    expect(repeat.outcomes[0]?.result).toBe('EVENT_RESULT_DUPLICATE');
    await expect(getMessage(m)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });

    const arrival = await record([accepted(m, minutesAgo(5))]);
    expect(arrival.outcomes[0]).toMatchObject({ result: 'EVENT_RESULT_APPLIED' });
    const message = await getMessage(m);
    expect(message.status).toBe('MESSAGE_STATUS_DELIVERED');
    expect(message.sendLog.map((e) => e.kind)).toEqual([
      'EVENT_KIND_ACCEPTED',
      'EVENT_KIND_SUBMITTED',
      'EVENT_KIND_DELIVERED',
    ]);
    const parked = await t.sql.query('select * from parked_event where message_id = $1', [m]);
    expect(parked.rowCount).toBe(0);
  });

  it('drops and counts receipts parked for more than 24 hours', async () => {
    const m = id('expired');
    await record([delivered(m, minutesAgo(2))]);
    await t.sql.query(
      `update parked_event set parked_at = now() - interval '25 hours' where message_id = $1`,
      [m],
    );
    const fresh = id('still-parked');
    await record([delivered(fresh, minutesAgo(2))]);
    const dropped = await t.app.get(MaintenanceService).expireParked(new Date());
    expect(dropped).toBe(1);
    const left = await t.sql.query<{ message_id: string }>('select message_id from parked_event');
    expect(left.rows.map((r) => r.message_id)).toContain(fresh);
    expect(left.rows.map((r) => r.message_id)).not.toContain(m);
    const registry = t.app.get<Registry>(METRICS_REGISTRY);
    expect(await registry.metrics()).toMatch(/status_parked_receipts_expired_total\{[^}]*\} 1\b/);
    // ACCEPTED after expiry: the receipt is gone, the message stays SENDING.
    await record([accepted(m, minutesAgo(3))]);
    expect((await getMessage(m)).status).toBe('MESSAGE_STATUS_SENDING');
  });

  it('turns WAIT_RESULT into SEND_FAILED/590 after the timeout, and a late real receipt replaces it', async () => {
    const m = id('timeout');
    const other = id('not-timed-out');
    await record([
      accepted(m, minutesAgo(73 * 60)),
      submitted(m, minutesAgo(72 * 60 + 30)),
      accepted(other, minutesAgo(60)),
      submitted(other, minutesAgo(59)),
    ]);
    const applied = await t.app.get(MaintenanceService).applyReceiptTimeouts(new Date());
    expect(applied).toBe(1);
    const timedOut = await getMessage(m);
    expect(timedOut).toMatchObject({
      status: 'MESSAGE_STATUS_SEND_FAILED',
      sendFailureCode: 'SEND_FAILURE_CODE_OTHER',
      reasonDetail: 'no delivery receipt',
    });
    expect(timedOut.sendLog.at(-1)?.kind).toBe('EVENT_KIND_RECEIPT_TIMEOUT');
    expect((await getMessage(other)).status).toBe('MESSAGE_STATUS_WAIT_RESULT');
    // The synthetic outcome is not a channel failure: nothing for the interception service.
    const outbox = await t.sql.query('select * from failure_outbox where message_id = $1', [m]);
    expect(outbox.rowCount).toBe(0);
    // Running again changes nothing.
    expect(await t.app.get(MaintenanceService).applyReceiptTimeouts(new Date())).toBe(0);

    const late = await record([delivered(m, minutesAgo(1))]);
    expect(late.outcomes[0]).toMatchObject({
      result: 'EVENT_RESULT_APPLIED',
      status: 'MESSAGE_STATUS_DELIVERED',
    });
    // ... and once real, final is final again.
    const later = await record([sendFailed(m, minutesAgo(0))]);
    expect(later.outcomes[0]?.result).toBe('EVENT_RESULT_IGNORED');
  });

  it('stops a message with PROCESS_FAILED only before a channel saw it', async () => {
    const stopped = id('pf');
    const sent = id('pf-late');
    const response = await record([
      accepted(stopped, minutesAgo(3)),
      processFailed(stopped, minutesAgo(2)),
      accepted(sent, minutesAgo(3)),
      submitted(sent, minutesAgo(2)),
      processFailed(sent, minutesAgo(1)),
    ]);
    expect(response.outcomes.map((o) => o.result)).toEqual([
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_APPLIED',
      'EVENT_RESULT_IGNORED',
    ]);
    expect(await getMessage(stopped)).toMatchObject({
      status: 'MESSAGE_STATUS_PROCESS_FAILED',
      processFailedReason: 'PROCESS_FAILED_REASON_GLOBAL_BLOCK',
    });
  });

  it('loses no update when two batches touch the same messages at once', async () => {
    const ids = Array.from({ length: 50 }, () => id('race'));
    await record(ids.map((m) => accepted(m, minutesAgo(5))));
    // One caller submits, the other delivers, each in reverse order of the other.
    await Promise.all([
      record(ids.map((m) => submitted(m, minutesAgo(4)))),
      record([...ids].reverse().map((m) => delivered(m, minutesAgo(3)))),
    ]);
    for (const m of ids) {
      const message = await getMessage(m);
      expect(message.status).toBe('MESSAGE_STATUS_DELIVERED');
      expect(message.channelSendTime).toBeTruthy();
      expect(message.sendLog).toHaveLength(3);
    }
  });

  it('answers NOT_FOUND for a message of another account', async () => {
    const m = id('owned');
    await record([accepted(m, minutesAgo(1), { accountId: 'acct-owner' })]);
    await expect(getMessage(m, 'acct-owner')).resolves.toMatchObject({ messageId: m });
    await expect(getMessage(m, 'acct-other')).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });
});
