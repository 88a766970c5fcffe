import { DEFAULT_RETRY_DELAYS_MS } from '../config';
import { retryDelay } from './retry-schedule';

describe('retryDelay', () => {
  const delays = DEFAULT_RETRY_DELAYS_MS.split(',').map(Number);

  it('follows the schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h), then gives up', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, delays, 0, 0.5))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000,
    ]);
    expect(retryDelay(7, delays, 0.2, 0.5)).toBeNull();
  });

  it('spreads each wait by the jitter, both ways', () => {
    expect(retryDelay(1, delays, 0.2, 0)).toBe(4_000);
    expect(retryDelay(1, delays, 0.2, 1)).toBe(6_000);
    expect(retryDelay(2, delays, 0.2, 0.25)).toBe(270_000);
  });
});
