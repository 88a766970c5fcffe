/** Data every outbox job carries: which row, and its backoff settings at enqueue time. */
export interface KeywordEffectJobData {
  readonly replyId: string;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
}

export const CAPPED_EXPONENTIAL = 'capped-exponential';

/** base × 2^(attempt−1), capped: retries keep coming at a sane pace while a service is down. */
export function cappedExponentialDelay(
  attemptsMade: number,
  baseMs: number,
  maxMs: number,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}
