import {
  DailyPartitions,
  dayStart,
  daysToCover,
  isExpiredPartition,
  retentionCutoff,
} from './daily-partitions';

describe('daily partitions', () => {
  const now = new Date('2026-11-29T14:30:00.000Z');
  const replies = new DailyPartitions('reply');

  it('names a partition by its UTC day and reads the name back', () => {
    const day = dayStart(new Date('2026-11-29T23:59:59.999Z'));
    expect(replies.nameOf(day)).toBe('reply_p20261129');
    expect(replies.nameOf(new Date('2026-11-29T23:59:59.999Z'))).toBe('reply_p20261129');
    expect(replies.dayOf('reply_p20261129')).toEqual(new Date('2026-11-29T00:00:00.000Z'));
    expect(replies.dayOf('reply_key')).toBeUndefined();
    expect(replies.dayOf('reply_p20261399')).toBeUndefined();
    expect(replies.dayOf('reply_p20260231')).toBeUndefined();
    expect(replies.dayOf('message_p20261129')).toBeUndefined();
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => new DailyPartitions('reply; drop table x')).toThrow('bad partitioned table');
  });

  it('covers the whole retention window and the days ahead', () => {
    const days = daysToCover(now, 30, 3);
    expect(days[0]).toEqual(new Date('2026-10-30T00:00:00.000Z'));
    expect(days[days.length - 1]).toEqual(new Date('2026-12-02T00:00:00.000Z'));
    expect(days).toHaveLength(34);
    expect(days.every((day) => !isExpiredPartition(day, now, 30))).toBe(true);
  });

  it('expires a partition only when all of it is older than the cutoff', () => {
    expect(retentionCutoff(now, 30)).toEqual(new Date('2026-10-30T14:30:00.000Z'));
    // 30 Oct holds 14:30..23:59 which is still inside the window.
    expect(isExpiredPartition(new Date('2026-10-30T00:00:00.000Z'), now, 30)).toBe(false);
    expect(isExpiredPartition(new Date('2026-10-29T00:00:00.000Z'), now, 30)).toBe(true);
    const day = new Date('2026-10-29T00:00:00.000Z');
    expect(isExpiredPartition(day, new Date('2026-11-29T00:00:00.000Z'), 30)).toBe(true);
    expect(isExpiredPartition(day, new Date('2026-11-28T23:59:59.999Z'), 30)).toBe(false);
  });
});
