// CheckResponse, CheckBatchResponse and CheckBatchVerdictsResponse encoded by hand straight from
// the check results: the send path's answers, where protobufjs's reflective fromObject + encode
// was the largest cost of a call (a 1,000-number batch carries ~600 full entries). Field numbers
// and enum values are those of interception_service.proto; check-response.encoding.spec.ts
// decodes the output with the contract's own decoder to keep the two in step.
import type { interceptionV1 } from '@sms/contracts';
import type { EncodedMessage } from '@sms/platform-grpc';
import type {
  CheckedEntry,
  CheckedUnsubscribe,
  CheckedVerdict,
  CheckResult,
} from '../checks/check-result';
import { blocksAt, type VerdictName } from '../checks/verdict';
import type { EntryScope } from '../block-list/block-entry.entity';
import { decodeEntry, decodeUnsubscribe, entryBlocksUntil } from '../hot-index/index-codec';
import type { EncodedEntry, EncodedEntryCache } from './encoded-entry-cache';
import { isKnownCode } from './proto-mapping';

const VERDICT: Record<VerdictName, number> = {
  ALLOW: 1,
  GLOBAL_BLOCK: 2,
  PARTIAL_BLOCK: 3,
  UNSUBSCRIBE: 4,
};
const ENTRY_STATE_ACTIVE = 1;

// Wire types: 0 varint, 2 length-delimited. A tag is (field << 3) | wire type.
const LEN = 2;
const tag = (field: number, wireType: number) => (field << 3) | wireType;

/** Room for a nested message's length before its body is written (bodies < 2 MiB). */
const LENGTH_ROOM = 3;

/** A growing buffer that protobuf fields are written into (shared with the Admit encoders). */
export class Writer {
  buffer: Buffer;
  pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }

  varint(value: number): void {
    this.ensure(10);
    let v = value;
    while (v > 127) {
      this.buffer[this.pos++] = (v & 127) | 128;
      v = Math.floor(v / 128);
    }
    this.buffer[this.pos++] = v;
  }

  /** A non-zero varint field (proto3 leaves zero out). */
  varintField(field: number, value: number): void {
    if (value === 0) return;
    this.varint(tag(field, 0));
    this.varint(value);
  }

  /** A non-empty string field. */
  stringField(field: number, value: string): void {
    if (value.length === 0) return;
    this.varint(tag(field, LEN));
    const maxBytes = value.length * 3;
    if (maxBytes < 128) {
      // One length byte whatever the encoding: write the text after it, then its length.
      this.ensure(1 + maxBytes);
      const at = this.pos;
      const written = this.buffer.write(value, at + 1, 'utf8');
      this.buffer[at] = written;
      this.pos = at + 1 + written;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buffer.write(value, this.pos, 'utf8');
  }

  /** Starts a nested message field: returns where its body starts (for `end`). */
  begin(field: number): number {
    this.varint(tag(field, LEN));
    this.ensure(LENGTH_ROOM);
    this.pos += LENGTH_ROOM;
    return this.pos;
  }

  /** Writes the nested message's length before its body, moving the body up to close the gap. */
  end(start: number): void {
    const length = this.pos - start;
    const lengthBytes = length < 128 ? 1 : length < 16384 ? 2 : 3;
    let at = start - LENGTH_ROOM;
    let v = length;
    for (let i = 1; i < lengthBytes; i += 1) {
      this.buffer[at++] = (v & 127) | 128;
      v = Math.floor(v / 128);
    }
    this.buffer[at++] = v;
    if (at !== start) this.buffer.copyWithin(at, start, this.pos);
    this.pos = at + length;
  }

  /** A length-delimited field holding `bytes` as they are (an encoded message's body). */
  bytesField(field: number, bytes: Buffer): void {
    this.varint(tag(field, LEN));
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.pos += bytes.copy(this.buffer, this.pos);
  }

  timestampField(field: number, ms: number): void {
    const start = this.begin(field);
    const seconds = Math.floor(ms / 1000);
    this.varintField(1, seconds);
    this.varintField(2, (ms - seconds * 1000) * 1_000_000);
    this.end(start);
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }
}

export function writeEntry(w: Writer, field: number, entry: CheckedEntry): void {
  const start = w.begin(field);
  writeEntryBody(w, entry);
  w.end(start);
}

function writeEntryBody(w: Writer, entry: CheckedEntry): void {
  w.stringField(1, entry.entryId);
  w.stringField(2, entry.phone);
  w.varintField(3, entry.scope === 'GLOBAL' ? 1 : 2);
  w.stringField(4, entry.ownerAccountId ?? '');
  w.varintField(5, entry.source === 'SEND_FAILURE' ? 1 : 2);
  const code = entry.sendFailureCode;
  w.varintField(6, code !== null && isKnownCode(code) ? code : 0);
  w.stringField(7, entry.reason);
  w.stringField(8, entry.detail);
  w.stringField(9, entry.messageId);
  w.timestampField(10, entry.interceptedAtMs);
  if (entry.expiresAtMs !== null) w.timestampField(11, entry.expiresAtMs);
  w.varintField(12, ENTRY_STATE_ACTIVE);
  w.timestampField(15, entry.createdAtMs);
  w.timestampField(16, entry.updatedAtMs);
}

export function writeUnsubscribe(w: Writer, field: number, record: CheckedUnsubscribe): void {
  const start = w.begin(field);
  w.stringField(1, record.accountId);
  w.stringField(2, record.phone);
  w.timestampField(3, record.sinceMs);
  w.varintField(4, record.source === 'REPLY' ? 1 : 2);
  w.stringField(5, record.replyId ?? '');
  w.end(start);
}

/** The body of one CheckResponse. */
function writeCheckResponse(w: Writer, result: CheckResult): void {
  w.stringField(1, result.phone);
  w.varintField(2, VERDICT[result.verdict]);
  if (result.entry) writeEntry(w, 3, result.entry);
  if (result.unsubscribe) writeUnsubscribe(w, 4, result.unsubscribe);
}

export function encodeCheckResponse(
  result: CheckResult,
): EncodedMessage<interceptionV1.CheckResponse> {
  const w = new Writer(result.entry || result.unsubscribe ? 384 : 32);
  writeCheckResponse(w, result);
  return w.finish();
}

export function encodeCheckBatchResponse(
  results: readonly CheckResult[],
): EncodedMessage<interceptionV1.CheckBatchResponse> {
  const w = new Writer(64 + results.length * 160);
  for (const result of results) {
    const start = w.begin(1);
    writeCheckResponse(w, result);
    w.end(start);
  }
  return w.finish();
}

export function encodeCheckBatchVerdictsResponse(
  results: readonly CheckedVerdict[],
): EncodedMessage<interceptionV1.CheckBatchVerdictsResponse> {
  const w = new Writer(16 + results.length * 24);
  for (const result of results) {
    const start = w.begin(1);
    w.stringField(1, result.phone);
    w.varintField(2, VERDICT[result.verdict]);
    w.end(start);
  }
  return w.finish();
}

const VERDICT_FIELD = tag(2, 0);
const ENTRY_FIELD = tag(3, LEN);
const varintBytes = (value: number) =>
  value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : 4;

/**
 * CheckBatchResponse straight from the hot index's values, three per number as
 * BlockIndex.readBatch returns them (global, local, unsubscribe), each number decided as
 * ChecksService decides it (verdict.ts's precedence). A blocking entry's Entry bytes come from
 * the cache, encoded once per index text, and are copied into the one response buffer: no
 * result object per number. `verdicts[i]` receives each number's verdict (for the metrics).
 */
export function encodeCheckBatchFromIndex(
  values: readonly (string | null)[],
  phones: readonly string[],
  accountId: string,
  nowMs: number,
  cache: EncodedEntryCache,
  verdicts: VerdictName[],
): EncodedMessage<interceptionV1.CheckBatchResponse> {
  const w = new Writer(64 + phones.length * 200);
  for (let i = 0; i < phones.length; i += 1) {
    const phone = phones[i];
    const at = 3 * i;
    let verdict: VerdictName = 'ALLOW';
    let entry = blockingEntry(values[at], phone, 'GLOBAL', nowMs, cache);
    if (entry !== null) verdict = 'GLOBAL_BLOCK';
    else {
      entry = blockingEntry(values[at + 1], phone, 'LOCAL', nowMs, cache);
      if (entry !== null) verdict = 'PARTIAL_BLOCK';
    }
    verdicts[i] = verdict;
    if (entry !== null) {
      // The response's length is known: written first, no moving of the body.
      const phoneBytes = Buffer.byteLength(phone, 'utf8');
      const phoneField = phoneBytes === 0 ? 0 : 1 + varintBytes(phoneBytes) + phoneBytes;
      const entryField = 1 + varintBytes(entry.bytes.length) + entry.bytes.length;
      const length = phoneField + 2 + entryField;
      w.varint(tag(1, LEN));
      w.varint(length);
      w.stringField(1, phone);
      w.varint(VERDICT_FIELD);
      w.varint(VERDICT[verdict]);
      w.varint(ENTRY_FIELD);
      w.varint(entry.bytes.length);
      w.ensure(entry.bytes.length);
      w.pos += entry.bytes.copy(w.buffer, w.pos);
      continue;
    }
    const unsubscribe = decodeUnsubscribe(values[at + 2], phone, accountId);
    const start = w.begin(1);
    w.stringField(1, phone);
    if (unsubscribe === null) {
      w.varintField(2, VERDICT.ALLOW);
    } else {
      verdicts[i] = 'UNSUBSCRIBE';
      w.varintField(2, VERDICT.UNSUBSCRIBE);
      writeUnsubscribe(w, 4, unsubscribe);
    }
    w.end(start);
  }
  return w.finish();
}

/** Reused for the one Entry body being encoded before it is copied into the cache. */
const scratch = new Writer(1024);

/** The index value's entry if it blocks at `nowMs`, encoded (from the cache when it can). */
function blockingEntry(
  raw: string | null,
  phone: string,
  scope: EntryScope,
  nowMs: number,
  cache: EncodedEntryCache,
): EncodedEntry | null {
  if (raw === null) return null;
  let entry = cache.get(raw, phone, scope);
  if (entry === undefined) {
    // Tombstones are recognised from the text alone, and not cached.
    if (entryBlocksUntil(raw) === null) return null;
    const decoded = decodeEntry(raw, phone, scope);
    if (decoded === null) return null;
    scratch.pos = 0;
    writeEntryBody(scratch, decoded);
    entry = {
      bytes: Buffer.from(scratch.finish()),
      blocksUntilMs: decoded.expiresAtMs ?? Number.POSITIVE_INFINITY,
      phone,
      scope,
    };
    cache.set(raw, entry);
  }
  return blocksAt(entry.blocksUntilMs, nowMs) ? entry : null;
}
