import { CodeCatalogue } from '@sms/domain-catalogue';
import {
  MESSAGE_STATUSES,
  PROCESS_FAILED_REASONS_BY_PRECEDENCE,
  TEMPLATE_TYPES,
  type MessageStatusName,
  type ProcessFailedReasonName,
  type TemplateTypeName,
} from '@sms/domain-catalogue';

// The numbers stored in PostgreSQL are the proto enum numbers (status 1..5, template type 1..3,
// process-failed reason 1..8 in precedence order, send-failure code 500..590): smallints keep
// the hot indexes narrow. Proto-loader hands enums over as prefixed strings; an unknown numeric
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
  toDb: (name: MessageStatusName): number => MESSAGE_STATUSES.indexOf(name) + 1,
  fromDb: (value: number): MessageStatusName => MESSAGE_STATUSES[value - 1],
};

export const templateTypeEnum = {
  toProto: (name: TemplateTypeName): string => `TEMPLATE_TYPE_${name}`,
  parse: (value: unknown) => optionalEnum(value, 'TEMPLATE_TYPE_', TEMPLATE_TYPES),
  toDb: (name: TemplateTypeName): number => TEMPLATE_TYPES.indexOf(name) + 1,
  fromDb: (value: number): TemplateTypeName => TEMPLATE_TYPES[value - 1],
};

export const processFailedReasonEnum = {
  toProto: (name: ProcessFailedReasonName): string => `PROCESS_FAILED_REASON_${name}`,
  parse: (value: unknown) =>
    optionalEnum(value, 'PROCESS_FAILED_REASON_', PROCESS_FAILED_REASONS_BY_PRECEDENCE),
  toDb: (name: ProcessFailedReasonName): number =>
    PROCESS_FAILED_REASONS_BY_PRECEDENCE.indexOf(name) + 1,
  fromDb: (value: number): ProcessFailedReasonName =>
    PROCESS_FAILED_REASONS_BY_PRECEDENCE[value - 1],
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
