import { GrpcStatus } from '@sms/platform-grpc';
import {
  cappedExponentialDelay,
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
