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
import type { VerdictName } from '../checks/verdict';
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

class Writer {
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

function writeEntry(w: Writer, field: number, entry: CheckedEntry): void {
  const start = w.begin(field);
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
  w.end(start);
}

function writeUnsubscribe(w: Writer, field: number, record: CheckedUnsubscribe): void {
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
