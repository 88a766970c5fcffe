import type { Sql } from './sql';

const DAY_MS = 86_400_000;
/** 42P07 duplicate_table, 23505 unique_violation (pg_type): another replica created it first. */
const ALREADY_CREATED = new Set(['42P07', '23505']);

/** Midnight UTC of the day containing `at`. */
export function dayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/** The oldest instant still inside a retention window of `retentionDays`. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Every day from the retention cutoff's day to `aheadDays` after today. */
export function daysToCover(now: Date, retentionDays: number, aheadDays: number): Date[] {
  const first = dayStart(retentionCutoff(now, retentionDays));
  const last = addDays(dayStart(now), aheadDays);
  const days: Date[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A day's partition may go once every instant it can hold is older than the retention cutoff. */
export function isExpiredPartition(day: Date, now: Date, retentionDays: number): boolean {
  return addDays(day, 1).getTime() <= retentionCutoff(now, retentionDays).getTime();
}

/**
 * The daily range partitions `<parent>_pYYYYMMDD` of a table partitioned by a timestamptz column
 * (UTC days): retention drops whole days (DROP TABLE), never deletes rows in bulk.
 */
export class DailyPartitions {
  private readonly pattern: RegExp;

  constructor(readonly parent: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(parent)) throw new Error(`bad partitioned table ${parent}`);
    this.pattern = new RegExp(`^${parent}_p(\\d{4})(\\d{2})(\\d{2})$`);
  }

  /** `reply_p20261129` for the partition holding 2026-11-29 (UTC). */
  nameOf(day: Date): string {
    return `${this.parent}_p${dayStart(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
  }

  /** The day a partition name stands for; undefined for anything else. */
  dayOf(name: string): Date | undefined {
    const match = this.pattern.exec(name);
    if (!match) return undefined;
    const day = new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00.000Z`);
    return Number.isNaN(day.getTime()) || this.nameOf(day) !== name ? undefined : day;
  }

  /** Creates the day's partition unless it exists (another replica may create it meanwhile). */
  async create(sql: Sql, day: Date): Promise<void> {
    const from = dayStart(day);
    try {
      await sql.query(
        `create table if not exists ${this.nameOf(from)} partition of ${this.parent}
           for values from ('${from.toISOString()}') to ('${addDays(from, 1).toISOString()}')`,
      );
    } catch (error) {
      if (!ALREADY_CREATED.has((error as { code?: string }).code ?? '')) throw error;
    }
  }

  /** The days that have a partition, oldest first. */
  async list(sql: Sql): Promise<Date[]> {
    const rows = await sql.rows<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = ?::regclass`,
      [this.parent],
    );
    return rows
      .map((row) => this.dayOf(row.name))
      .filter((day): day is Date => day !== undefined)
      .sort((a, b) => a.getTime() - b.getTime());
  }

  /** Only names built here reach this DDL: no input is spliced into it. */
  async drop(sql: Sql, day: Date): Promise<void> {
    await sql.query(`drop table if exists ${this.nameOf(day)}`);
  }
}
