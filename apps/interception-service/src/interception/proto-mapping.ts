// proto ⇄ domain for the InterceptionService contract. Enums arrive as their names (unknown
// numeric values as numbers); absent timestamps as null.
import { commonV1, interceptionV1, type Timestamp } from '@sms/contracts';
import { CodeCatalogue } from '@sms/domain-catalogue';
import { InvalidArgumentError } from '@sms/errors';
import type {
  BlockEntry,
  EntryScope,
  EntrySourceName,
  EntryStateName,
} from '../block-list/block-entry.entity';
import type { CheckedEntry, CheckedUnsubscribe, CheckResult } from '../checks/check-result';
import type { UnsubscribeRecord, UnsubscribeSourceName } from '../unsubscribes/unsubscribe.entity';

export class InvalidEnumValueError extends InvalidArgumentError {}

const CODE_BY_NAME = new Map<string, number>();
const NAME_BY_CODE = new Map<number, commonV1.SendFailureCode>();
for (const rule of new CodeCatalogue().all()) {
  const name = `SEND_FAILURE_CODE_${rule.name}` as commonV1.SendFailureCode;
  CODE_BY_NAME.set(name, rule.code);
  NAME_BY_CODE.set(rule.code, name);
}

/** The numeric code (500..590); 0 when unspecified; unknown numbers pass through for the use case to refuse. */
export function codeFromProto(value: commonV1.SendFailureCode | number): number {
  if (typeof value === 'number') return value;
  return CODE_BY_NAME.get(value) ?? 0;
}

/** A code of the catalogue (its enum value is the code itself); others answer UNSPECIFIED. */
export function isKnownCode(code: number): boolean {
  return NAME_BY_CODE.has(code);
}

function codeToProto(code: number | null): commonV1.SendFailureCode {
  return (
    (code !== null && NAME_BY_CODE.get(code)) ||
    commonV1.SendFailureCode.SEND_FAILURE_CODE_UNSPECIFIED
  );
}

function enumFromProto<T extends string>(
  value: string | number,
  prefix: string,
  allowed: readonly T[],
  field: string,
): T | undefined {
  if (value === `${prefix}UNSPECIFIED` || value === 0) return undefined;
  const name =
    typeof value === 'string' && value.startsWith(prefix) ? value.slice(prefix.length) : '';
  if ((allowed as readonly string[]).includes(name)) return name as T;
  throw new InvalidEnumValueError(`${field} has an unknown value ${String(value)}`);
}

export const scopeFromProto = (value: interceptionV1.Scope | number): EntryScope | undefined =>
  enumFromProto(value, 'SCOPE_', ['GLOBAL', 'LOCAL'] as const, 'scope');
export const sourceFromProto = (
  value: interceptionV1.EntrySource | number,
): EntrySourceName | undefined =>
  enumFromProto(value, 'ENTRY_SOURCE_', ['SEND_FAILURE', 'MANUAL'] as const, 'source');
export const stateFromProto = (
  value: interceptionV1.EntryState | number,
): EntryStateName | undefined =>
  enumFromProto(value, 'ENTRY_STATE_', ['ACTIVE', 'EXPIRED', 'DELETED'] as const, 'state');
export const unsubscribeSourceFromProto = (
  value: interceptionV1.UnsubscribeSource | number,
): UnsubscribeSourceName | undefined =>
  enumFromProto(value, 'UNSUBSCRIBE_SOURCE_', ['REPLY', 'API'] as const, 'source');

/** Millisecond precision; undefined when absent. Out-of-range values are INVALID_ARGUMENT. */
export function dateFromProto(
  value: Timestamp | null | undefined,
  field: string,
): Date | undefined {
  if (!value) return undefined;
  const ms = Number(value.seconds) * 1000 + Math.floor(Number(value.nanos) / 1_000_000);
  if (!Number.isFinite(ms) || ms < 0 || ms > 253_402_300_799_000) {
    throw new InvalidArgumentError(`${field} is not a valid timestamp`);
  }
  return new Date(ms);
}

function timestamp(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function optionalTimestamp(date: Date | null): Timestamp | undefined {
  return date ? timestamp(date.getTime()) : undefined;
}

export function entryToProto(entry: BlockEntry): interceptionV1.Entry {
  return {
    entryId: entry.id,
    phone: entry.phone,
    scope: `SCOPE_${entry.scope}` as interceptionV1.Scope,
    ownerAccountId: entry.ownerAccountId ?? '',
    source: `ENTRY_SOURCE_${entry.source}` as interceptionV1.EntrySource,
    sendFailureCode: codeToProto(entry.sendFailureCode),
    reason: entry.reason,
    detail: entry.detail,
    messageId: entry.messageId,
    interceptedAt: timestamp(entry.interceptedAt.getTime()),
    expiresAt: optionalTimestamp(entry.expiresAt),
    state: `ENTRY_STATE_${entry.state}` as interceptionV1.EntryState,
    deletedBy: entry.deletedBy ?? '',
    deletedAt: optionalTimestamp(entry.deletedAt),
    createdAt: timestamp(entry.createdAt.getTime()),
    updatedAt: timestamp(entry.updatedAt.getTime()),
  };
}

function checkedEntryToProto(entry: CheckedEntry): interceptionV1.Entry {
  return {
    entryId: entry.entryId,
    phone: entry.phone,
    scope: `SCOPE_${entry.scope}` as interceptionV1.Scope,
    ownerAccountId: entry.ownerAccountId ?? '',
    source: `ENTRY_SOURCE_${entry.source}` as interceptionV1.EntrySource,
    sendFailureCode: codeToProto(entry.sendFailureCode),
    reason: entry.reason,
    detail: entry.detail,
    messageId: entry.messageId,
    interceptedAt: timestamp(entry.interceptedAtMs),
    expiresAt: entry.expiresAtMs === null ? undefined : timestamp(entry.expiresAtMs),
    state: interceptionV1.EntryState.ENTRY_STATE_ACTIVE,
    deletedBy: '',
    deletedAt: undefined,
    createdAt: timestamp(entry.createdAtMs),
    updatedAt: timestamp(entry.updatedAtMs),
  };
}

function checkedUnsubscribeToProto(record: CheckedUnsubscribe): interceptionV1.Unsubscribe {
  return {
    accountId: record.accountId,
    phone: record.phone,
    since: timestamp(record.sinceMs),
    source: `UNSUBSCRIBE_SOURCE_${record.source}` as interceptionV1.UnsubscribeSource,
    replyId: record.replyId ?? '',
  };
}

export function unsubscribeToProto(record: UnsubscribeRecord): interceptionV1.Unsubscribe {
  return {
    accountId: record.accountId,
    phone: record.phone,
    since: timestamp(record.since.getTime()),
    source: `UNSUBSCRIBE_SOURCE_${record.source}` as interceptionV1.UnsubscribeSource,
    replyId: record.replyId ?? '',
  };
}

/** Check's answer as an object (Admit's entry and unsubscribe); Check itself encodes by hand. */
export function checkResultToProto(result: CheckResult): interceptionV1.CheckResponse {
  return {
    phone: result.phone,
    verdict: `VERDICT_${result.verdict}` as interceptionV1.Verdict,
    entry: result.entry ? checkedEntryToProto(result.entry) : undefined,
    unsubscribe: result.unsubscribe ? checkedUnsubscribeToProto(result.unsubscribe) : undefined,
  };
}
