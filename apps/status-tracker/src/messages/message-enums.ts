import { CodeCatalogue } from '@sms/domain-catalogue';
import {
  MESSAGE_STATUS_NUMBERS,
  MESSAGE_STATUSES,
  PROCESS_FAILED_REASON_NUMBERS,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  TEMPLATE_TYPE_NUMBERS,
  TEMPLATE_TYPES,
  type MessageStatusName,
  type ProcessFailedReasonName,
  type TemplateTypeName,
} from '@sms/domain-catalogue';

// The numbers stored in PostgreSQL are the explicit tables of the catalogue (*_NUMBERS, equal to
// the proto enum numbers; send-failure codes are their own numbers 500..590): smallints keep the
// hot indexes narrow. Proto-loader hands enums over as prefixed strings; an unknown numeric
// value arrives as a number, which every parser here refuses.

const CATALOGUE = new CodeCatalogue();

export const EVENT_KINDS = [
  'ACCEPTED',
  'PROCESS_FAILED',
  'SUBMITTED',
  'DELIVERED',
  'SEND_FAILED',
  'RECEIPT_TIMEOUT',
] as const;
export type EventKindName = (typeof EVENT_KINDS)[number];

export const EVENT_RESULTS = ['APPLIED', 'DUPLICATE', 'PARKED', 'IGNORED', 'REJECTED'] as const;
export type EventResultName = (typeof EVENT_RESULTS)[number];

/** Name → stored number and back, from one explicit table; an unknown stored number is an error. */
function storedNumbers<T extends string>(table: Readonly<Record<T, number>>, what: string) {
  const names = new Map<number, T>(
    (Object.entries(table) as [T, number][]).map(([name, value]) => [value, name]),
  );
  return {
    toDb: (name: T): number => table[name],
    fromDb: (value: number): T => {
      const name = names.get(value);
      if (name === undefined) throw new Error(`unknown stored ${what} ${value}`);
      return name;
    },
  };
}

function prefixedName<T extends string>(
  value: unknown,
  prefix: string,
  names: readonly T[],
): T | undefined {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
  const name = value.slice(prefix.length);
  return (names as readonly string[]).includes(name) ? (name as T) : undefined;
}

/** `undefined` for UNSPECIFIED, a short name for a known value, `null` for anything unknown. */
function optionalEnum<T extends string>(
  value: unknown,
  prefix: string,
  names: readonly T[],
): T | undefined | null {
  if (value === undefined || value === null || value === 0 || value === `${prefix}UNSPECIFIED`)
    return undefined;
  return prefixedName(value, prefix, names) ?? null;
}

export const statusEnum = {
  toProto: (name: MessageStatusName): string => `MESSAGE_STATUS_${name}`,
  parse: (value: unknown) => optionalEnum(value, 'MESSAGE_STATUS_', MESSAGE_STATUSES),
  ...storedNumbers(MESSAGE_STATUS_NUMBERS, 'message status'),
};

export const templateTypeEnum = {
  toProto: (name: TemplateTypeName): string => `TEMPLATE_TYPE_${name}`,
  parse: (value: unknown) => optionalEnum(value, 'TEMPLATE_TYPE_', TEMPLATE_TYPES),
  ...storedNumbers(TEMPLATE_TYPE_NUMBERS, 'template type'),
};

export const processFailedReasonEnum = {
  toProto: (name: ProcessFailedReasonName): string => `PROCESS_FAILED_REASON_${name}`,
  parse: (value: unknown) =>
    optionalEnum(value, 'PROCESS_FAILED_REASON_', PROCESS_FAILED_REASONS_BY_PRECEDENCE),
  ...storedNumbers(PROCESS_FAILED_REASON_NUMBERS, 'process-failed reason'),
};

/** Send-failure codes travel as their numbers (500..590) inside the domain and the database. */
export const sendFailureCodeEnum = {
  toProto: (code: number): string => `SEND_FAILURE_CODE_${CATALOGUE.ruleFor(code).name}`,
  parse: (value: unknown): number | undefined | null => {
    if (value === undefined || value === null || value === 0) return undefined;
    if (value === 'SEND_FAILURE_CODE_UNSPECIFIED') return undefined;
    if (typeof value !== 'string' || !value.startsWith('SEND_FAILURE_CODE_')) return null;
    return CATALOGUE.ruleForName(value.slice('SEND_FAILURE_CODE_'.length))?.code ?? null;
  },
};

export const bucketSizeEnum = {
  parse: (value: unknown) => optionalEnum(value, 'STATS_BUCKET_SIZE_', ['DAY', 'HOUR'] as const),
};

/** The code the wait-result timeout reports: 590 OTHER. */
export const RECEIPT_TIMEOUT_CODE = 590;
export const RECEIPT_TIMEOUT_DETAIL = 'no delivery receipt';
