// Filters live in the URL (shareable, the back button works): parsed from and written to
// URLSearchParams, defaults left out, unknown or invalid values dropped rather than sent to the API.
import {
  ENTRY_SOURCES,
  ENTRY_STATES,
  PROCESS_FAILED_REASONS,
  SCOPES,
  SEND_FAILURE_CODES,
  STATUSES,
  TEMPLATE_TYPES,
} from './vocabulary';

export const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/** A calendar day `YYYY-MM-DD` as typed into a date input (the browser's time zone). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface MessageFilter {
  phone?: string;
  templateId?: string;
  templateType?: string;
  label?: string;
  smsUser?: string;
  /** One status or several, comma-separated in API order (`process_failed,send_failed`). */
  status?: string;
  /** A process-failed reason word, or a send-failure code (`500`), under its own status. */
  reasonCode?: string;
  from?: string;
  to?: string;
  /** Operator views only. */
  accountId?: string;
}

export interface EntryFilter {
  phone?: string;
  reasonCode?: string;
  scope?: string;
  state?: string;
  source?: string;
  from?: string;
  to?: string;
  accountId?: string;
}

export interface ReplyFilter {
  phone?: string;
  templateId?: string;
  label?: string;
  from?: string;
  to?: string;
  accountId?: string;
}

type Rule = (value: string) => boolean;
const text: Rule = (value) => value.trim().length > 0 && value.length <= 128;
const oneOf =
  (values: readonly string[]): Rule =>
  (value) =>
    values.includes(value);
const day: Rule = (value) => DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00`));
const account: Rule = (value) => /^acc_[0-9a-f]{24}$/.test(value);

const MESSAGE_RULES: Record<keyof MessageFilter, Rule> = {
  phone: text,
  templateId: text,
  templateType: oneOf(TEMPLATE_TYPES),
  label: text,
  smsUser: text,
  status: (value) => value.split(',').every((word) => STATUSES.includes(word as never)),
  reasonCode: oneOf([...PROCESS_FAILED_REASONS, ...SEND_FAILURE_CODES.map((c) => String(c.code))]),
  from: day,
  to: day,
  accountId: account,
};
const ENTRY_RULES: Record<keyof EntryFilter, Rule> = {
  phone: text,
  reasonCode: oneOf(SEND_FAILURE_CODES.map((c) => String(c.code))),
  scope: oneOf(SCOPES),
  state: oneOf(ENTRY_STATES),
  source: oneOf(ENTRY_SOURCES),
  from: day,
  to: day,
  accountId: account,
};
const REPLY_RULES: Record<keyof ReplyFilter, Rule> = {
  phone: text,
  templateId: text,
  label: text,
  from: day,
  to: day,
  accountId: account,
};

function parseWith<F extends object>(rules: Record<keyof F, Rule>, params: URLSearchParams): F {
  const filter: Record<string, string> = {};
  for (const [key, rule] of Object.entries<Rule>(rules)) {
    const value = params.get(key);
    if (value !== null && rule(value)) filter[key] = value.trim();
  }
  return filter as F;
}

/** The statuses of a filter's `status` value, in the API's order, each once. */
export function statusList(status: string | undefined): string[] {
  const picked = new Set((status ?? '').split(','));
  return STATUSES.filter((word) => picked.has(word));
}

/** The status a reason belongs to: a code under send_failed, a word under process_failed. */
export const statusOfReason = (reason: string): 'send_failed' | 'process_failed' =>
  /^\d+$/.test(reason) ? 'send_failed' : 'process_failed';

export function parseMessageFilter(params: URLSearchParams): MessageFilter {
  const filter = parseWith<MessageFilter>(MESSAGE_RULES, params);
  if (filter.status !== undefined) filter.status = statusList(filter.status).join(',');
  // A reason only means something with its own status among those picked (as the API requires).
  if (
    filter.reasonCode !== undefined &&
    !statusList(filter.status).includes(statusOfReason(filter.reasonCode))
  ) {
    delete filter.reasonCode;
  }
  return filter;
}
export const parseEntryFilter = (params: URLSearchParams): EntryFilter =>
  parseWith<EntryFilter>(ENTRY_RULES, params);
export const parseReplyFilter = (params: URLSearchParams): ReplyFilter =>
  parseWith<ReplyFilter>(REPLY_RULES, params);

/** The URL query of a filter: empty values left out, keys in a stable order. */
export function filterToParams(filter: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
  }
  params.sort();
  return params;
}

/** The earliest day a date picker offers: the retention window, in the browser's zone. */
export function earliestDay(now: Date): string {
  return localDay(new Date(now.getTime() - RETENTION_DAYS * DAY_MS + 60_000));
}

export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The API's `from`/`to` of a day range picked in the browser's zone: `from` at local midnight
 * (never before the retention window, which the API refuses), `to` exclusive at the next midnight.
 */
export function periodToApi(
  from: string | undefined,
  to: string | undefined,
  now: Date,
): { from?: string; to?: string } {
  const period: { from?: string; to?: string } = {};
  const windowStart = now.getTime() - RETENTION_DAYS * DAY_MS + 60_000;
  if (from !== undefined) {
    const start = new Date(`${from}T00:00:00`).getTime();
    period.from = new Date(Math.max(start, windowStart)).toISOString();
  }
  if (to !== undefined) {
    const end = new Date(`${to}T00:00:00`);
    end.setDate(end.getDate() + 1);
    period.to = end.toISOString();
  }
  return period;
}

/** Query parameters of GET /v1/messages (and the export, stats) for a filter. */
export function messageQuery(filter: MessageFilter, now: Date): Record<string, string> {
  const { from, to, accountId, ...rest } = filter;
  const query: Record<string, string> = { ...stripEmpty(rest), ...periodToApi(from, to, now) };
  if (accountId !== undefined) query['accountId'] = accountId;
  return query;
}

export function entryQuery(filter: EntryFilter, now: Date): Record<string, string> {
  const { from, to, ...rest } = filter;
  return { ...stripEmpty(rest), ...periodToApi(from, to, now) };
}

export function replyQuery(filter: ReplyFilter, now: Date): Record<string, string> {
  const { from, to, ...rest } = filter;
  return { ...stripEmpty(rest), ...periodToApi(from, to, now) };
}

function stripEmpty(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** True when no filter field is set (for "nothing yet" versus "no match"). */
export const isEmptyFilter = (filter: object): boolean =>
  Object.values(filter).every((value) => value === undefined);
