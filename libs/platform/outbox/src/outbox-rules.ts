// The rules every outbox of the platform follows (status-tracker's failure hand-over,
// reply-service's keyword effects): a row leaves only when the peer confirmed it; a job that
// used up its attempts is re-armed by the relay under a fresh job id, forever, with a capped
// backoff; an answer that can never succeed sends the row to a visible dead-letter list.
import { GrpcStatus } from '@sms/platform-grpc';
import type { MinimalJob } from 'bullmq';

export const CAPPED_EXPONENTIAL = 'capped-exponential';

/** base × 2^(attempt−1), capped: retries keep coming at a sane pace while a peer is down. */
export function cappedExponentialDelay(
  attemptsMade: number,
  baseMs: number,
  maxMs: number,
): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_MAX_BACKOFF_MS = 300_000;

/**
 * The `backoffStrategy` of an outbox worker: for jobs added with
 * `backoff: { type: CAPPED_EXPONENTIAL, delay }`, doubling delays from `delay` that stop growing at
 * the cap `capOf` reads from the job's data (the settings at enqueue time travel with the job).
 */
export function cappedExponentialStrategy(
  capOf: (data: unknown) => number | undefined,
): (attemptsMade: number, type?: string, error?: Error, job?: MinimalJob) => number {
  return (attemptsMade, type, _error, job) => {
    const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay;
    if (type !== CAPPED_EXPONENTIAL) return base ?? DEFAULT_BACKOFF_MS;
    const cap = job ? capOf(job.data) : undefined;
    return cappedExponentialDelay(
      attemptsMade,
      base ?? DEFAULT_BACKOFF_MS,
      cap ?? DEFAULT_MAX_BACKOFF_MS,
    );
  };
}

/**
 * Answers that retrying can never change: the request itself is wrong. Everything else (a peer
 * down, overloaded, misconfigured, refusing for now) is retried forever; only these go to the
 * dead-letter list.
 */
export function isPermanentRefusal(code: number | undefined): boolean {
  return code === GrpcStatus.INVALID_ARGUMENT;
}

/**
 * The job id of one delivery round of a row. Round 0 keeps the plain id (so a re-enqueue of the
 * fast path stays one job); each re-arm after a finished (failed) round gets a fresh one, since
 * BullMQ keeps a failed job's id and would ignore a new job under it.
 */
export function roundJobId(baseId: string, round: number): string {
  return round === 0 ? baseId : `${baseId}-r${round}`;
}

/** What the relay does with a row still in the outbox, given its current round's job state. */
export type RelayAction = 'wait' | 'rearm' | 'confirmed';

/**
 * `state` is BullMQ's Job.getState() ('unknown' or null when the job is gone, e.g. Redis lost it).
 * A completed job whose row is still there was delivered but not yet confirmed in the database.
 */
export function relayAction(state: string | null): RelayAction {
  if (state === 'completed') return 'confirmed';
  if (state === null || state === 'unknown' || state === 'failed') return 'rearm';
  return 'wait';
}

/** Delay of a re-armed round: the rounds back off too, up to the cap. */
export function rearmDelay(round: number, baseMs: number, maxMs: number): number {
  return cappedExponentialDelay(round, baseMs, maxMs);
}
