import { appendFileSync, readFileSync } from 'node:fs';

// What a benchmark measured, in a form `npm run bench` (bench/run.ts) gathers into one table.
// Each benchmark still prints its own detailed figures; these lines are the SPEC 7 summary.

/** A SPEC 7 goal: absolute (at most / at least) or relative to the baseline of the same run. */
export type Goal =
  | { readonly kind: 'at-most'; readonly limit: number }
  | { readonly kind: 'at-least'; readonly limit: number }
  | { readonly kind: 'ratio-at-least'; readonly ratio: number };

export interface Measure {
  /** The SPEC 7 line, e.g. "Check, 64 in flight". */
  readonly measure: string;
  readonly value: number;
  /** calls/s, ms, MB, events/s, rows/s … */
  readonly unit: string;
  /** Measured in the same run, where the goal is relative to it. */
  readonly baseline?: { readonly label: string; readonly value: number };
  readonly goal?: Goal;
  /** The goal as SPEC 7 words it (e.g. "≥ 0.70 of echo"). */
  readonly goalText: string;
}

/** Where bench/run.ts collects measures: one JSON line each. */
const REPORT_FILE_VARIABLE = 'BENCH_REPORT_FILE';

export function report(measure: Measure): void {
  const file = process.env[REPORT_FILE_VARIABLE];
  if (file) appendFileSync(file, `${JSON.stringify(measure)}\n`);
}

export function reportFileEnv(file: string): Record<string, string> {
  return { [REPORT_FILE_VARIABLE]: file };
}

export function readReport(file: string): Measure[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Measure);
}

/** The value against its goal: the ratio to the baseline where the goal is relative. */
export function judge(measure: Measure): { ratio: number | null; met: boolean | null } {
  const ratio = measure.baseline ? measure.value / measure.baseline.value : null;
  const goal = measure.goal;
  if (!goal) return { ratio, met: null };
  switch (goal.kind) {
    case 'at-most':
      return { ratio, met: measure.value <= goal.limit };
    case 'at-least':
      return { ratio, met: measure.value >= goal.limit };
    case 'ratio-at-least':
      return { ratio, met: ratio !== null && ratio >= goal.ratio };
  }
}

/** Resident set size of a process in MB (VmRSS), or NaN once it is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (100 ticks a second). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The RSS goal every service shares (SPEC 7: "Every service under load: RSS ≤ 250 MB"). */
export function reportRss(service: string, when: string, mb: number): void {
  report({
    measure: `${service} RSS ${when}`,
    value: mb,
    unit: 'MB',
    goal: { kind: 'at-most', limit: 250 },
    goalText: '≤ 250 MB',
  });
}
