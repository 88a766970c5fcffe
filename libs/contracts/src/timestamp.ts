import type { Timestamp } from './generated/google/protobuf/timestamp';

export function toTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Millisecond precision; `undefined` for an absent timestamp (proto-loader gives null). */
export function fromTimestamp(ts: Timestamp | null | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000));
}
