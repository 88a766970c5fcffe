// Frequency limits as people read them ("At most 5 messages per hour to the same number with the
// same template"), the editor's rows (an amount and a unit instead of raw seconds), and the same
// checks the gateway makes (apps/gateway/src/frequency-limits/frequency-limits.json.ts), so a
// mistake is named beside its field before anything is sent. Pure: unit-tested in Node.
import { t } from '../i18n';

export interface FrequencyWindow {
  windowSeconds: number;
  limit: number;
}

/** Which sends a window counts: one template's, or all of the account's templates'. */
export type LimitKind = 'template' | 'account';

export const UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type Unit = (typeof UNITS)[number];
const UNIT_SECONDS: Record<Unit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** The gateway's bounds (31 days; 1..10,000 sends; 8 windows per kind). */
export const MAX_WINDOW_SECONDS = 31 * 86_400;
export const MAX_LIMIT = 10_000;
export const MAX_WINDOWS = 8;

/** The largest unit that divides the window exactly: 7200 → 2 hours, 90 → 90 seconds. */
export function splitWindow(seconds: number): { amount: number; unit: Unit } {
  for (const unit of [...UNITS].reverse()) {
    const size = UNIT_SECONDS[unit];
    if (seconds >= size && seconds % size === 0) return { amount: seconds / size, unit };
  }
  return { amount: seconds, unit: 'seconds' };
}

/** "per hour", "in any 2 hours", "in any 90 seconds". */
export function windowInWords(seconds: number): string {
  const { amount, unit } = splitWindow(seconds);
  return amount === 1 ? t.rules.per[unit] : t.rules.inAny(amount, t.rules.units[unit]);
}

/** "At most 5 messages per hour to the same number with the same template". */
export function limitInWords(window: FrequencyWindow, kind: LimitKind): string {
  return t.rules.limitSentence(window.limit, windowInWords(window.windowSeconds), kind);
}

/** One editor row, as typed (strings, so a half-typed number is kept as it is). */
export interface WindowDraft {
  key: string;
  limit: string;
  amount: string;
  unit: Unit;
}

export interface LimitsDraft {
  template: WindowDraft[];
  account: WindowDraft[];
}

let nextKey = 0;
const newKey = () => `w${++nextKey}`;

export function toDraft(windows: readonly FrequencyWindow[]): WindowDraft[] {
  return windows.map((w) => {
    const { amount, unit } = splitWindow(w.windowSeconds);
    return { key: newKey(), limit: String(w.limit), amount: String(amount), unit };
  });
}

/** A new row: one more per hour, or per day when an hour is taken. */
export function emptyWindow(existing: readonly WindowDraft[]): WindowDraft {
  const taken = new Set(existing.map((w) => Number(w.amount) * UNIT_SECONDS[w.unit]));
  const unit: Unit = taken.has(3600) ? 'days' : 'hours';
  return { key: newKey(), limit: '', amount: '1', unit };
}

/** A draft's problems, by row key and field; empty when the API would accept it. */
export interface DraftProblems {
  /** `${key}.limit` or `${key}.window` → the message. */
  fields: Record<string, string>;
  /** Per kind: too many windows. */
  lists: Partial<Record<LimitKind, string>>;
}

const WHOLE = /^\d+$/;

function limitProblem(text: string): string | null {
  const value = text.trim();
  if (value === '') return t.rules.problems.required;
  if (!WHOLE.test(value)) return t.rules.problems.wholeNumber;
  const n = Number(value);
  if (n < 1) return t.rules.problems.atLeastOne;
  if (n > MAX_LIMIT) return t.rules.problems.maxLimit(MAX_LIMIT);
  return null;
}

function windowProblem(draft: WindowDraft): string | null {
  const value = draft.amount.trim();
  if (value === '') return t.rules.problems.required;
  if (!WHOLE.test(value)) return t.rules.problems.wholeNumber;
  const seconds = Number(value) * UNIT_SECONDS[draft.unit];
  if (seconds < 1) return t.rules.problems.atLeastOne;
  if (seconds > MAX_WINDOW_SECONDS) return t.rules.problems.maxWindow;
  return null;
}

export function draftProblems(draft: LimitsDraft): DraftProblems {
  const problems: DraftProblems = { fields: {}, lists: {} };
  for (const kind of ['template', 'account'] as const) {
    const rows = draft[kind];
    if (rows.length > MAX_WINDOWS) problems.lists[kind] = t.rules.problems.maxWindows(MAX_WINDOWS);
    const seen = new Set<number>();
    for (const row of rows) {
      const limit = limitProblem(row.limit);
      if (limit) problems.fields[`${row.key}.limit`] = limit;
      const window = windowProblem(row);
      if (window) {
        problems.fields[`${row.key}.window`] = window;
        continue;
      }
      const seconds = Number(row.amount.trim()) * UNIT_SECONDS[row.unit];
      if (seen.has(seconds)) problems.fields[`${row.key}.window`] = t.rules.problems.twice;
      seen.add(seconds);
    }
  }
  return problems;
}

export const hasProblems = (problems: DraftProblems): boolean =>
  Object.keys(problems.fields).length > 0 || Object.keys(problems.lists).length > 0;

/** The request body of a valid draft (check draftProblems first). */
export function fromDraft(draft: LimitsDraft): {
  template: FrequencyWindow[];
  account: FrequencyWindow[];
} {
  const windows = (rows: readonly WindowDraft[]) =>
    rows.map((row) => ({
      windowSeconds: Number(row.amount.trim()) * UNIT_SECONDS[row.unit],
      limit: Number(row.limit.trim()),
    }));
  return { template: windows(draft.template), account: windows(draft.account) };
}
