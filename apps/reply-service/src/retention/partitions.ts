const DAY_MS = 86_400_000;

/** Midnight UTC of the day containing `at`. */
export function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/** `reply_p20261129` for the partition holding 2026-11-29 (UTC). */
export function partitionName(day: Date): string {
  return `reply_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The day a partition name stands for; undefined for anything else. */
export function partitionDay(name: string): Date | undefined {
  const match = /^reply_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return undefined;
  const day = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
  return Number.isNaN(day.getTime()) ? undefined : day;
}

/** The oldest instant still inside the retention window. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Every day from the retention cutoff's day to `aheadDays` after today: the partitions to have. */
export function daysToCover(now: Date, retentionDays: number, aheadDays: number): Date[] {
  const first = dayStart(retentionCutoff(now, retentionDays));
  const last = addDays(dayStart(now), aheadDays);
  const days: Date[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A partition may go once every instant it can hold is older than the retention cutoff. */
export function isExpiredPartition(day: Date, now: Date, retentionDays: number): boolean {
  return addDays(day, 1).getTime() <= retentionCutoff(now, retentionDays).getTime();
}
