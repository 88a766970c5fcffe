// Retries of the simulator's gRPC calls, as a real sending service makes them: a call that failed
// because its replica went away (UNAVAILABLE: connection refused, reset or dropped) is sent again,
// a few times with backoff; round_robin sends the retry to a replica that is still up.
//
// Not grpc-js's retryPolicy in the service config: the simulator checks every answer exactly, and a
// call lost after the service had done its work and before the answer arrived comes back different
// the second time (DUPLICATE instead of APPLIED). It must know the call was retried to accept that,
// and a service-config retry is invisible to the caller.
import { GrpcStatus } from '@sms/platform-grpc';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** About 10 s of retrying: longer than a replica takes to go and its channel to notice. */
export const DEFAULT_RETRY: RetryOptions = {
  attempts: 8,
  initialBackoffMs: 100,
  maxBackoffMs: 2_000,
};

/** One attempt: for calls whose caller handles UNAVAILABLE itself. */
export const NO_RETRY: RetryOptions = { attempts: 1, initialBackoffMs: 0, maxBackoffMs: 0 };

export interface Retried<T> {
  readonly response: T;
  /**
   * The call was sent more than once: an earlier attempt may have reached the service and done
   * its work, its answer lost with the connection.
   */
  readonly retried: boolean;
}

export function isRetryable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === GrpcStatus.UNAVAILABLE;
}

/** Calls `call` until it answers or fails otherwise than UNAVAILABLE, at most `attempts` times. */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<Retried<T>> {
  let backoff = options.initialBackoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return { response: await call(), retried: attempt > 1 };
    } catch (error) {
      if (!isRetryable(error) || attempt >= options.attempts) throw error;
      onRetry?.(error, attempt);
      // Half the backoff plus jitter: retries of several callers do not arrive together.
      await new Promise((resolve) =>
        setTimeout(resolve, backoff / 2 + (Math.random() * backoff) / 2),
      );
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
    }
  }
}
