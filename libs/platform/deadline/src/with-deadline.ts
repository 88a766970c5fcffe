/** `work` did not settle in time; its late result, if any, is ignored. */
export class DeadlineExceededError extends Error {
  constructor(
    readonly ms: number,
    what?: string,
  ) {
    super(`${what ? `${what}: ` : ''}no answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles like `work`, or rejects with DeadlineExceededError when `work` has not settled within
 * `ms`. For dependencies that may hang instead of failing (Redis and BullMQ retry forever, a
 * health check must answer): the caller falls back at once. A late rejection of `work` is
 * handled by the race (never an unhandled rejection); the timer never keeps the process alive.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(ms, what)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
