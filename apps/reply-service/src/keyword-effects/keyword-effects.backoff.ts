import type { TraceCarrier } from '@sms/platform-tracing';
// The backoff is the platform's outbox rule (@sms/platform-outbox), shared with status-tracker.
export { CAPPED_EXPONENTIAL } from '@sms/platform-outbox';

/** Data every outbox job carries: which row, and its backoff settings at enqueue time. */
export interface KeywordEffectJobData {
  readonly replyId: string;
  readonly backoffMs: number;
  readonly backoffMaxMs: number;
  /** The trace of the RecordReplies call that produced it (empty when tracing is off). */
  readonly trace?: TraceCarrier;
}
