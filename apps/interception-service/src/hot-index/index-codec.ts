// Values of the Redis hot index: compact JSON that always starts with the row's revision
// (`{"r":N,...}`) so the put-if-newer script can compare without decoding. An ACTIVE row carries
// everything a check answers with, including expiresAt, so a check is exact at the boundary
// without PostgreSQL and without waiting for the expiry job. Anything else is a tombstone
// `{"r":N,"x":<entry id>}` that keeps an older, late write of that entry from resurrecting it
// (and, naming its entry, never clears another entry of the slot).
import type { BlockEntry, EntryScope } from '../block-list/block-entry.entity';
import type { CheckedEntry, CheckedUnsubscribe } from '../checks/check-result';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';

/** Hash field of an entry inside the phone's hash. */
export function entryField(scope: EntryScope, ownerAccountId: string | null): string {
  return scope === 'GLOBAL' ? 'g' : `l:${ownerAccountId ?? ''}`;
}

export function localField(accountId: string): string {
  return `l:${accountId}`;
}

export function unsubscribeField(accountId: string): string {
  return `u:${accountId}`;
}

interface IndexedEntryJson {
  r: number;
  i?: string;
  o?: string | null;
  s?: 'F' | 'M';
  c?: number | null;
  rs?: string;
  d?: string;
  m?: string;
  a?: number;
  e?: number | null;
  cr?: number;
  up?: number;
}

export function encodeEntry(entry: BlockEntry, nowMs: number): string {
  const expiresAtMs = entry.expiresAt ? entry.expiresAt.getTime() : null;
  const blocking = entry.state === 'ACTIVE' && (expiresAtMs === null || nowMs < expiresAtMs);
  if (!blocking) return `{"r":${Number(entry.revision)},"x":${JSON.stringify(entry.id)}}`;
  const value: IndexedEntryJson = {
    r: Number(entry.revision),
    i: entry.id,
    o: entry.ownerAccountId,
    s: entry.source === 'MANUAL' ? 'M' : 'F',
    c: entry.sendFailureCode,
    rs: entry.reason,
    d: entry.detail,
    m: entry.messageId,
    a: entry.interceptedAt.getTime(),
    e: expiresAtMs,
    cr: entry.createdAt.getTime(),
    up: entry.updatedAt.getTime(),
  };
  return JSON.stringify(value);
}

/** The indexed entry, or null for a missing field or a tombstone. */
export function decodeEntry(
  raw: string | null,
  phone: string,
  scope: EntryScope,
): CheckedEntry | null {
  if (raw === null) return null;
  const v = JSON.parse(raw) as IndexedEntryJson;
  if (v.i === undefined) return null;
  return {
    entryId: v.i,
    phone,
    scope,
    ownerAccountId: v.o ?? null,
    source: v.s === 'M' ? 'MANUAL' : 'SEND_FAILURE',
    sendFailureCode: v.c ?? null,
    reason: v.rs ?? '',
    detail: v.d ?? '',
    messageId: v.m ?? '',
    interceptedAtMs: v.a ?? 0,
    expiresAtMs: v.e ?? null,
    createdAtMs: v.cr ?? 0,
    updatedAtMs: v.up ?? 0,
  };
}

/**
 * Until when an indexed entry blocks (epoch ms; Infinity without expiry), or null for a missing
 * field or a tombstone: what `decodeEntry` would say of `expiresAtMs`, read from the value's text
 * without decoding it (the verdict-only batch, where `JSON.parse` was the largest cost). Safe on
 * the text because JSON escapes every quote inside a string: `,"i":` and `,"e":` only match keys.
 */
export function entryBlocksUntil(raw: string | null): number | null {
  if (raw === null) return null;
  // {"r":N,"i":… for a row that blocks, {"r":N,"x":… for a tombstone.
  if (!raw.startsWith('"i":', raw.indexOf(',') + 1)) return null;
  const at = raw.indexOf(',"e":');
  if (at === -1 || raw.startsWith('null', at + 5)) return Number.POSITIVE_INFINITY;
  let ms = 0;
  for (let i = at + 5; i < raw.length; i += 1) {
    const digit = raw.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    ms = ms * 10 + digit;
  }
  return ms;
}

/** Whether an indexed unsubscribe is active, as `decodeUnsubscribe` would say, without decoding it. */
export function unsubscribeActive(raw: string | null): boolean {
  return raw !== null && raw.includes(',"s":');
}

interface IndexedUnsubscribeJson {
  r: number;
  s?: number;
  src?: 'R' | 'A';
  rid?: string | null;
}

export function encodeUnsubscribe(record: UnsubscribeRecord): string {
  if (record.state !== 'ACTIVE') return tombstone(record.revision);
  const value: IndexedUnsubscribeJson = {
    r: Number(record.revision),
    s: record.since.getTime(),
    src: record.source === 'REPLY' ? 'R' : 'A',
    rid: record.replyId,
  };
  return JSON.stringify(value);
}

export function decodeUnsubscribe(
  raw: string | null,
  phone: string,
  accountId: string,
): CheckedUnsubscribe | null {
  if (raw === null) return null;
  const v = JSON.parse(raw) as IndexedUnsubscribeJson;
  if (v.s === undefined) return null;
  return {
    accountId,
    phone,
    sinceMs: v.s,
    source: v.src === 'R' ? 'REPLY' : 'API',
    replyId: v.rid ?? null,
  };
}

function tombstone(revision: string): string {
  return `{"r":${Number(revision)}}`;
}

/** The revision a stored value carries (what the Lua script parses). */
export function revisionOf(raw: string): number {
  return (JSON.parse(raw) as { r: number }).r;
}
