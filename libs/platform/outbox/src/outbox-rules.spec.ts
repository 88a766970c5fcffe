import { GrpcStatus } from '@sms/platform-grpc';
import type { MinimalJob } from 'bullmq';
import {
  CAPPED_EXPONENTIAL,
  cappedExponentialDelay,
  cappedExponentialStrategy,
  isPermanentRefusal,
  relayAction,
  roundJobId,
} from './outbox-rules';

describe('outbox rules', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => cappedExponentialDelay(n, 1000, 5000))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
    expect(cappedExponentialDelay(500, 1000, 300_000)).toBe(300_000);
  });

  it('backs BullMQ retries off from the job’s delay up to the cap its data carries', () => {
    const strategy = cappedExponentialStrategy((data) => (data as { capMs?: number }).capMs);
    const job = (delay: number | undefined, capMs?: number) =>
      ({
        opts: { backoff: delay === undefined ? undefined : { type: CAPPED_EXPONENTIAL, delay } },
        data: { capMs },
      }) as unknown as MinimalJob;
    expect(
      [1, 2, 3, 4].map((n) => strategy(n, CAPPED_EXPONENTIAL, undefined, job(500, 3000))),
    ).toEqual([500, 1000, 2000, 3000]);
    // Jobs enqueued without the settings (older releases) still get a sane, capped delay.
    expect(strategy(1, CAPPED_EXPONENTIAL, undefined, job(undefined))).toBe(1000);
    expect(strategy(40, CAPPED_EXPONENTIAL, undefined, job(undefined))).toBe(300_000);
    expect(strategy(3, 'something-else', undefined, job(700, 3000))).toBe(700);
  });

  it('gives up only on answers that can never succeed', () => {
    expect(isPermanentRefusal(GrpcStatus.INVALID_ARGUMENT)).toBe(true);
    for (const code of [
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.DEADLINE_EXCEEDED,
      GrpcStatus.PERMISSION_DENIED,
      GrpcStatus.FAILED_PRECONDITION,
      GrpcStatus.INTERNAL,
      undefined,
    ]) {
      expect(isPermanentRefusal(code)).toBe(false);
    }
  });

  it('names each delivery round with a fresh job id', () => {
    expect(roundJobId('failure-m1-500', 0)).toBe('failure-m1-500');
    expect(roundJobId('failure-m1-500', 3)).toBe('failure-m1-500-r3');
  });

  it('re-arms a failed or lost round, waits for a live one, confirms a completed one', () => {
    expect(relayAction('failed')).toBe('rearm');
    expect(relayAction(null)).toBe('rearm');
    expect(relayAction('unknown')).toBe('rearm');
    for (const live of ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']) {
      expect(relayAction(live)).toBe('wait');
    }
    expect(relayAction('completed')).toBe('confirmed');
  });
});
