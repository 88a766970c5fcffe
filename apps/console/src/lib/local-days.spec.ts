// The browser's zone for these cases: UTC+8, where a UTC day splits over two local days.
process.env['TZ'] = 'Asia/Shanghai';

import { describe, expect, it } from 'vitest';
import { bucketByLocalDay, localDaysBetween, type StatsBucket } from './local-days';

const hour = (start: string, delivered: number, failedCode?: string): StatsBucket => ({
  start,
  messages: delivered + (failedCode ? 1 : 0),
  entries: delivered,
  statuses: { delivered, send_failed: failedCode ? 1 : 0 },
  processFailedReasons: {},
  sendFailureCodes: failedCode ? { [failedCode]: 1 } : {},
});

describe('statistics per local day', () => {
  it('runs in the zone the cases are written for', () => {
    expect(new Date('2026-12-01T16:00:00Z').getHours()).toBe(0);
  });

  it('puts the hours of one UTC day on the two local days they belong to', () => {
    const days = bucketByLocalDay(
      [
        hour('2026-12-01T15:00:00.000Z', 2), // 23:00 on 1 December in Shanghai
        hour('2026-12-01T16:00:00.000Z', 3, '520'), // 00:00 on 2 December
        hour('2026-12-02T10:00:00.000Z', 1),
      ],
      { from: new Date('2026-11-30T20:00:00Z'), to: new Date('2026-12-02T12:00:00Z') },
    );
    expect(days.map((d) => [d.day, d.messages, d.statuses['delivered']])).toEqual([
      ['2026-12-01', 2, 2],
      ['2026-12-02', 5, 4],
    ]);
    expect(days[1]?.sendFailureCodes).toEqual({ '520': 1 });
    expect(days[1]?.statuses['send_failed']).toBe(1);
    expect(days[1]?.entries).toBe(4);
  });

  it('shows every day of the period, the empty ones with zeros, and keeps the totals', () => {
    const hours = [hour('2026-12-03T01:00:00.000Z', 4)];
    const days = bucketByLocalDay(hours, {
      from: new Date('2026-11-30T00:00:00Z'),
      to: new Date('2026-12-03T02:00:00Z'),
    });
    expect(days.map((d) => d.day)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
    expect(days.map((d) => d.messages)).toEqual([0, 0, 0, 4]);
    expect(bucketByLocalDay([], { from: new Date(), to: new Date() })).toHaveLength(1);
  });

  it('steps by calendar day across a month end', () => {
    expect(
      localDaysBetween(new Date('2026-12-30T00:00:00Z'), new Date('2027-01-01T20:00:00Z')),
    ).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });
});
