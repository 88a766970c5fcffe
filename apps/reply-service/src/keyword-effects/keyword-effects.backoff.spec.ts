import { cappedExponentialDelay } from './keyword-effects.backoff';

describe('outbox retry backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => cappedExponentialDelay(n, 1000, 5000))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    expect(cappedExponentialDelay(500, 1000, 300_000)).toBe(300_000);
  });
});
