import { describe, expect, it } from 'vitest';
import {
  earliestDay,
  filterToParams,
  messageQuery,
  parseEntryFilter,
  parseMessageFilter,
  periodToApi,
  statusList,
} from './filters';

describe('message filter <-> URL', () => {
  it('reads every known field and writes them back in a stable order', () => {
    const params = new URLSearchParams(
      'status=send_failed&reasonCode=500&phone=%2B8613800138000&templateType=marketing&label=promo&smsUser=alice&templateId=tpl-1&from=2026-12-01&to=2026-12-03',
    );
    const filter = parseMessageFilter(params);
    expect(filter).toEqual({
      status: 'send_failed',
      reasonCode: '500',
      phone: '+8613800138000',
      templateType: 'marketing',
      label: 'promo',
      smsUser: 'alice',
      templateId: 'tpl-1',
      from: '2026-12-01',
      to: '2026-12-03',
    });
    expect(parseMessageFilter(filterToParams(filter))).toEqual(filter);
    expect(filterToParams(filter).toString()).toBe(
      'from=2026-12-01&label=promo&phone=%2B8613800138000&reasonCode=500&smsUser=alice&status=send_failed&templateId=tpl-1&templateType=marketing&to=2026-12-03',
    );
  });

  it('leaves out empty values and defaults', () => {
    expect(filterToParams({ phone: '', status: undefined, label: '  ' }).toString()).toBe('');
    expect(parseMessageFilter(new URLSearchParams('phone=&label='))).toEqual({});
  });

  it('drops unknown keys and invalid values instead of sending them', () => {
    expect(
      parseMessageFilter(
        new URLSearchParams('status=lost&templateType=spam&from=yesterday&foo=bar&accountId=x'),
      ),
    ).toEqual({});
  });

  it('keeps a reason only under the status it belongs to', () => {
    expect(
      parseMessageFilter(new URLSearchParams('status=process_failed&reasonCode=global_block')),
    ).toEqual({
      status: 'process_failed',
      reasonCode: 'global_block',
    });
    expect(parseMessageFilter(new URLSearchParams('status=process_failed&reasonCode=510'))).toEqual(
      {
        status: 'process_failed',
      },
    );
    expect(parseMessageFilter(new URLSearchParams('status=send_failed&reasonCode=busy'))).toEqual({
      status: 'send_failed',
    });
    expect(parseMessageFilter(new URLSearchParams('reasonCode=500'))).toEqual({});
  });

  it('reads several statuses in the API order, each once, and writes them back', () => {
    const filter = parseMessageFilter(
      new URLSearchParams('status=send_failed,delivered,send_failed&reasonCode=520'),
    );
    expect(filter).toEqual({ status: 'delivered,send_failed', reasonCode: '520' });
    expect(filterToParams(filter).get('status')).toBe('delivered,send_failed');
    expect(parseMessageFilter(filterToParams(filter))).toEqual(filter);
    expect(statusList('send_failed,process_failed')).toEqual(['process_failed', 'send_failed']);
    // One unknown word refuses the whole value; a reason whose status is not picked is dropped.
    expect(parseMessageFilter(new URLSearchParams('status=delivered,lost'))).toEqual({});
    expect(
      parseMessageFilter(
        new URLSearchParams('status=delivered,send_failed&reasonCode=global_block'),
      ),
    ).toEqual({ status: 'delivered,send_failed' });
  });

  it('accepts an operator account id only in its real form', () => {
    const id = 'acc_0123456789abcdef01234567';
    expect(parseEntryFilter(new URLSearchParams(`accountId=${id}&scope=global`))).toEqual({
      accountId: id,
      scope: 'global',
    });
    expect(parseEntryFilter(new URLSearchParams('accountId=acc_1&reasonCode=999'))).toEqual({});
  });
});

describe('the request period', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  it('turns picked days into an inclusive-exclusive range at local midnights', () => {
    const period = periodToApi('2026-12-01', '2026-12-02', now);
    expect(new Date(period.from!).getTime()).toBe(new Date('2026-12-01T00:00:00').getTime());
    expect(new Date(period.to!).getTime()).toBe(new Date('2026-12-03T00:00:00').getTime());
  });

  it('never reaches before the 30-day window the API refuses', () => {
    const period = periodToApi('2026-10-01', undefined, now);
    expect(new Date(period.from!).getTime()).toBeGreaterThan(now.getTime() - 30 * 86_400_000);
    expect(earliestDay(now) >= '2026-11-04').toBe(true);
  });

  it('builds the API query of a filter with the operator account', () => {
    expect(
      messageQuery({ status: 'delivered', accountId: 'acc_0123456789abcdef01234567' }, now),
    ).toEqual({ status: 'delivered', accountId: 'acc_0123456789abcdef01234567' });
  });
});
