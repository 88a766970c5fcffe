// Frequency limits per number (SPEC 6a): how many sends an account may make to one number per
// window, for the same template and across all its templates. Platform defaults from the
// configuration; an account may have its own.

export type FrequencyScope = 'TEMPLATE' | 'ACCOUNT';

export interface FrequencyWindow {
  readonly seconds: number;
  readonly limit: number;
}

export interface FrequencyLimits {
  /** Sends of one template to one number. */
  readonly template: readonly FrequencyWindow[];
  /** Sends of any template of the account to one number. */
  readonly account: readonly FrequencyWindow[];
}

/** Seconds of the longest window the limiter keeps history for (and keys live). */
export const MAX_WINDOW_SECONDS = 31 * 86_400;
export const MAX_WINDOWS_PER_SCOPE = 8;
export const MAX_FREQUENCY_LIMIT = 10_000;

/**
 * `template:60s=1,1h=5,1d=10;account:1d=20` — each scope a list of `<window>=<limit>`, windows in
 * s, m, h or d. A scope left out has no limit.
 */
export function parseFrequencyLimits(text: string): FrequencyLimits {
  const limits: Record<FrequencyScope, FrequencyWindow[]> = { TEMPLATE: [], ACCOUNT: [] };
  const seen = new Set<string>();
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(template|account)\s*:\s*(.+)$/i.exec(part);
    if (!match) throw new Error(`"${part}" must be template:<windows> or account:<windows>`);
    const scope = match[1].toUpperCase() as FrequencyScope;
    if (seen.has(scope)) throw new Error(`scope ${match[1]} is given twice`);
    seen.add(scope);
    for (const item of match[2].split(',').map((p) => p.trim())) {
      const window = /^(\d+)\s*([smhd])\s*=\s*(\d+)$/i.exec(item);
      if (!window) throw new Error(`"${item}" must be <number><s|m|h|d>=<limit>, e.g. 1h=5`);
      const seconds = Number(window[1]) * UNIT_SECONDS[window[2].toLowerCase()];
      const limit = Number(window[3]);
      if (seconds < 1 || seconds > MAX_WINDOW_SECONDS)
        throw new Error(`window ${item} must be 1 s .. ${MAX_WINDOW_SECONDS / 86_400} days`);
      if (limit < 1 || limit > MAX_FREQUENCY_LIMIT)
        throw new Error(`limit in ${item} must be 1..${MAX_FREQUENCY_LIMIT}`);
      if (limits[scope].some((w) => w.seconds === seconds))
        throw new Error(`window ${item} is given twice`);
      limits[scope].push({ seconds, limit });
    }
    if (limits[scope].length > MAX_WINDOWS_PER_SCOPE)
      throw new Error(`at most ${MAX_WINDOWS_PER_SCOPE} windows per scope`);
  }
  const byLength = (a: FrequencyWindow, b: FrequencyWindow) => a.seconds - b.seconds;
  return { template: limits.TEMPLATE.sort(byLength), account: limits.ACCOUNT.sort(byLength) };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function describeWindow(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/**
 * The problem with limits given through the API, or null; `field` names the list in messages.
 * The same bounds as the configured default's.
 */
export function frequencyWindowsProblem(
  windows: readonly { readonly seconds: number; readonly limit: number }[],
  field: string,
): string | null {
  if (windows.length > MAX_WINDOWS_PER_SCOPE)
    return `${field} has ${windows.length} windows; at most ${MAX_WINDOWS_PER_SCOPE}`;
  const seen = new Set<number>();
  for (const [i, { seconds, limit }] of windows.entries()) {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_WINDOW_SECONDS)
      return `${field}[${i}].window_seconds must be 1..${MAX_WINDOW_SECONDS} (31 days), not ${seconds}`;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FREQUENCY_LIMIT)
      return `${field}[${i}].limit must be 1..${MAX_FREQUENCY_LIMIT}, not ${limit}`;
    if (seen.has(seconds))
      return `${field}[${i}]: a ${describeWindow(seconds)} window is given twice`;
    seen.add(seconds);
  }
  return null;
}

/** Shortest window first: the order the limiter checks and reports them in. */
export function sortedWindows(windows: readonly FrequencyWindow[]): FrequencyWindow[] {
  return [...windows]
    .map(({ seconds, limit }) => ({ seconds, limit }))
    .sort((a, b) => a.seconds - b.seconds);
}
