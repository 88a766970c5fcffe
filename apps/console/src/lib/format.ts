// How codes and times read in the console: statuses and reasons in words (with the code for send
// failures), times in the browser's zone with the UTC time for the hover title.
import { t } from '../i18n';

/** "Send failed · Empty (500)", "Process failed · Global block", "Delivered". */
export function statusInWords(
  status: string | null | undefined,
  reason?: string | null,
  reasonCode?: number | null,
): string {
  if (!status) return t.time.none;
  const head = t.status[status] ?? status;
  const detail = reasonInWords(status, reason, reasonCode);
  return detail ? `${head} · ${detail}` : head;
}

export function reasonInWords(
  status: string,
  reason?: string | null,
  reasonCode?: number | null,
): string | null {
  if (status === 'send_failed') {
    const word = reason ? (t.sendFailedReason[reason] ?? reason) : null;
    if (word && reasonCode != null) return `${word} (${reasonCode})`;
    return word ?? (reasonCode != null ? String(reasonCode) : null);
  }
  if (status === 'process_failed' && reason) return t.processFailedReason[reason] ?? reason;
  return null;
}

/** A send-failure code in words: `500` → "Empty (500)". */
export function codeInWords(
  code: number | string | null | undefined,
  reason?: string | null,
): string {
  if (code === null || code === undefined || code === '') return t.time.none;
  const word = reason ? t.sendFailedReason[reason] : undefined;
  const fallback = SEND_FAILURE_WORDS.get(Number(code));
  return `${word ?? fallback ?? t.sendFailedReason['other']} (${code})`;
}

const SEND_FAILURE_WORDS = new Map<number, string>(
  (
    [
      [500, 'empty'],
      [510, 'out_of_service'],
      [520, 'blacklist'],
      [530, 'busy'],
      [540, 'no_answer'],
      [550, 'interception'],
      [560, 'break_down'],
      [570, 'not_in_service'],
      [580, 'power_off'],
      [590, 'other'],
    ] as const
  ).map(([code, reason]) => [code, t.sendFailedReason[reason] ?? reason]),
);

export interface ShownTime {
  /** In the browser's zone, e.g. "04/12/2026, 17:35:34". */
  readonly local: string;
  /** For the hover title: "2026-12-04 16:35:34 UTC". */
  readonly utc: string;
  /** The ISO value for <time dateTime>. */
  readonly iso: string;
}

/** Shows an ISO time in `timeZone` (default: the browser's) with its UTC form for the title. */
export function showTime(
  iso: string | null | undefined,
  options: { timeZone?: string; locale?: string } = {},
): ShownTime | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const local = new Intl.DateTimeFormat(options.locale ?? 'en-GB', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  const utc = `${date.toISOString().slice(0, 19).replace('T', ' ')} ${t.time.utc}`;
  return { local, utc, iso: date.toISOString() };
}

/** "12.5 %" of a 0..1 rate; "—" when there is nothing to rate. */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return t.time.none;
  return `${(Math.round(rate * 1000) / 10).toFixed(1)} %`;
}

/** The browser's zone name for headings ("Europe/London"). */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An API enum word in the catalogue's words; unknown words shown as they are, null as a dash. */
export function word(words: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return t.time.none;
  return words[value] ?? value;
}
