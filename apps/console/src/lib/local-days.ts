// The API buckets statistics per UTC day or hour; the console shows days in the browser's time
// zone (as its tables do). So the Overview asks for hours and sums them per local day here: every
// zone's midnight falls on an hour boundary except a few (e.g. UTC+5:45), whose days are then off
// by under an hour at the edges rather than by a whole offset.
import { localDay } from './filters';
import type { StatsBucketCounts } from './stats';

export interface StatsBucket extends StatsBucketCounts {
  start: string;
}

export interface LocalDayBucket extends StatsBucketCounts {
  /** `YYYY-MM-DD` in the browser's zone. */
  day: string;
}

const empty = (day: string): LocalDayBucket => ({
  day,
  messages: 0,
  entries: 0,
  statuses: {},
  processFailedReasons: {},
  sendFailureCodes: {},
});

function add(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [key, value] of Object.entries(from ?? {})) into[key] = (into[key] ?? 0) + value;
}

/** Every local day from `from`'s day to `to`'s day, in order. */
export function localDaysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(from.getFullYear(), from.getMonth(), from.getDate());
  const last = localDay(to);
  // Calendar steps (not 24 h), so a daylight-saving change never skips or repeats a day.
  while (localDay(cursor) <= last) {
    days.push(localDay(cursor));
    cursor.setDate(cursor.getDate() + 1);
  }
  return days;
}

/**
 * Hourly buckets summed per local day; every day of the period is present (zeros included) so
 * the chart has no gaps, and a bucket outside the period still counts on its own day.
 */
export function bucketByLocalDay(
  hourly: readonly StatsBucket[],
  period: { from: Date; to: Date },
): LocalDayBucket[] {
  const days = new Map(localDaysBetween(period.from, period.to).map((day) => [day, empty(day)]));
  for (const bucket of hourly) {
    const day = localDay(new Date(bucket.start));
    let into = days.get(day);
    if (!into) {
      into = empty(day);
      days.set(day, into);
    }
    into.messages += bucket.messages;
    into.entries += bucket.entries;
    add(into.statuses, bucket.statuses);
    add(into.processFailedReasons, bucket.processFailedReasons);
    add(into.sendFailureCodes, bucket.sendFailureCodes);
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
