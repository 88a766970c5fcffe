/**
 * The wait before the next attempt after `attemptsMade` attempts failed, or null when the
 * delivery has used all its retries. `random` (0..1) spreads each wait by ±jitter so endpoints
 * that failed together are not all retried in the same instant.
 */
export function retryDelay(
  attemptsMade: number,
  delays: readonly number[],
  jitter: number,
  random: number,
): number | null {
  const base = delays[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.max(1, Math.round(base * (1 + jitter * (2 * random - 1))));
}
