import { fromTimestamp, toTimestamp } from './timestamp';

describe('timestamp conversion', () => {
  it('round-trips a date with milliseconds', () => {
    const date = new Date('2026-11-29T10:11:12.345Z');
    expect(toTimestamp(date)).toEqual({ seconds: 1795947072, nanos: 345_000_000 });
    expect(fromTimestamp(toTimestamp(date))).toEqual(date);
  });

  it('handles dates before the epoch', () => {
    const date = new Date(-1500);
    expect(toTimestamp(date)).toEqual({ seconds: -2, nanos: 500_000_000 });
    expect(fromTimestamp(toTimestamp(date))).toEqual(date);
  });

  it('maps absent timestamps to undefined', () => {
    expect(fromTimestamp(null)).toBeUndefined();
    expect(fromTimestamp(undefined)).toBeUndefined();
  });
});
