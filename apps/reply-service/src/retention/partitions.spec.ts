import {
  dayStart,
  daysToCover,
  isExpiredPartition,
  partitionDay,
  partitionName,
  retentionCutoff,
} from './partitions';

describe('daily partitions of replies', () => {
  const now = new Date('2026-11-29T14:30:00.000Z');

  it('names a partition by its UTC day and reads the name back', () => {
    const day = dayStart(new Date('2026-11-29T23:59:59.999Z'));
    expect(partitionName(day)).toBe('reply_p20261129');
    expect(partitionDay('reply_p20261129')).toEqual(new Date('2026-11-29T00:00:00.000Z'));
    expect(partitionDay('reply_key')).toBeUndefined();
    expect(partitionDay('reply_p20261399')).toBeUndefined();
  });

  it('covers the whole retention window and the days ahead', () => {
    const days = daysToCover(now, 30, 3);
    expect(days[0]).toEqual(new Date('2026-10-30T00:00:00.000Z'));
    expect(days[days.length - 1]).toEqual(new Date('2026-12-02T00:00:00.000Z'));
    expect(days).toHaveLength(34);
    expect(days.every((day) => !isExpiredPartition(day, now, 30))).toBe(true);
  });

  it('drops a partition only when all of it is older than the cutoff', () => {
    expect(retentionCutoff(now, 30)).toEqual(new Date('2026-10-30T14:30:00.000Z'));
    // 30 Oct holds 14:30..23:59 which is still inside the window.
    expect(isExpiredPartition(new Date('2026-10-30T00:00:00.000Z'), now, 30)).toBe(false);
    expect(isExpiredPartition(new Date('2026-10-29T00:00:00.000Z'), now, 30)).toBe(true);
    expect(
      isExpiredPartition(
        new Date('2026-10-29T00:00:00.000Z'),
        new Date('2026-11-29T00:00:00.000Z'),
        30,
      ),
    ).toBe(true);
    expect(
      isExpiredPartition(
        new Date('2026-10-29T00:00:00.000Z'),
        new Date('2026-11-28T23:59:59.999Z'),
        30,
      ),
    ).toBe(false);
  });
});
