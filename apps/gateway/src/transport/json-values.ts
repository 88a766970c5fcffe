import { fromTimestamp, type Timestamp } from '@sms/contracts';

/** ISO 8601 UTC, or null for an absent timestamp. */
export function isoOrNull(timestamp: Timestamp | null | undefined): string | null {
  return fromTimestamp(timestamp)?.toISOString() ?? null;
}

/** proto3 strings default to ''; the API says null for "not set". */
export function textOrNull(value: string | null | undefined): string | null {
  return value ? value : null;
}
