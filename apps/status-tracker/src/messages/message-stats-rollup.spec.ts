import type { MessageRow } from './message-record';
import { rollupCanServe, statsDeltas } from './message-stats-rollup';

const HOUR = 3_600_000;

function row(id: string, overrides: Partial<MessageRow> = {}): MessageRow {
  return {
    message_id: id,
    request_time: new Date(Date.UTC(2026, 11, 1, 10, 30)),
    account_id: 'acct-1',
    sms_user: 'user-1',
    recipient: '+447911123456',
    entries: 2,
    template_id: 'tpl-1',
    template_type: 1,
    labels: [],
    channel: '',
    operator: '',
    status: 1,
    process_failed_reason: null,
    send_failure_code: null,
    reason_detail: '',
    channel_send_time: null,
    receipt_time: null,
    update_time: new Date(),
    synthetic_outcome: false,
    ...overrides,
  };
}

describe('statsDeltas', () => {
  it('adds a new message to its hour group, nulls as 0', () => {
    expect(statsDeltas(new Map(), [row('m1')])).toEqual([
      {
        accountId: 'acct-1',
        hour: new Date(Date.UTC(2026, 11, 1, 10)),
        status: 1,
        processFailedReason: 0,
        sendFailureCode: 0,
        templateType: 1,
        smsUser: 'user-1',
        messages: 1,
        entries: 2,
      },
    ]);
  });

  it('moves a changed message from its old group to its new one, with its entries', () => {
    const deltas = statsDeltas(new Map([['m1', row('m1', { status: 2 })]]), [
      row('m1', { status: 5, send_failure_code: 590 }),
    ]);
    expect(deltas.map((d) => [d.status, d.sendFailureCode, d.messages, d.entries])).toEqual([
      [2, 0, -1, -2],
      [5, 590, 1, 2],
    ]);
  });

  it('leaves out groups whose changes cancel (a message written back unchanged)', () => {
    expect(statsDeltas(new Map([['m1', row('m1')]]), [row('m1')])).toEqual([]);
  });

  it('nets several messages per group and sorts by key, whatever the input order', () => {
    const later = new Date(Date.UTC(2026, 11, 1, 11, 5));
    const deltas = statsDeltas(new Map(), [
      row('m3', { request_time: later }),
      row('m2', { account_id: 'acct-0' }),
      row('m1'),
      row('m4', { request_time: new Date(Date.UTC(2026, 11, 1, 10, 59)) }),
    ]);
    expect(deltas.map((d) => [d.accountId, d.hour.getTime() % (24 * HOUR), d.messages])).toEqual([
      ['acct-0', 10 * HOUR, 1],
      ['acct-1', 10 * HOUR, 2],
      ['acct-1', 11 * HOUR, 1],
    ]);
  });
});

describe('rollupCanServe', () => {
  it.each([
    [{}, true],
    [{ phone: '+447911123456' }, false],
    [{ templateId: 'tpl-1' }, false],
    [{ label: 'promo' }, false],
  ])('%j → %s', (filter, expected) => {
    expect(rollupCanServe(filter)).toBe(expected);
  });
});
