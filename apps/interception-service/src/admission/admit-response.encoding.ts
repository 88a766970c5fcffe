// AdmitResponse and AdmitBatchResponse encoded by hand straight from the admission outcomes, as
// CheckBatch's are (interception/check-response.encoding.ts): protobufjs's reflective
// fromObject + encode of 1,000 results (and the object mapping before it) was a tenth of
// AdmitBatch's service CPU and much of its garbage (bench/README.md, the admission section).
// Field numbers and enum values are those of interception_service.proto; the output is canonical
// proto3 (zero scalars left out), and admit-response.encoding.spec.ts checks it byte for byte
// against the contract's encoding of the same fields.
import type { interceptionV1 } from '@sms/contracts';
import { PROCESS_FAILED_REASON_NUMBERS } from '@sms/domain-catalogue';
import type { MessageEncodingName } from '@sms/domain-sms-content';
import type { EncodedMessage } from '@sms/platform-grpc';
import { Writer, writeEntry, writeUnsubscribe } from '../interception/check-response.encoding';
import type { WordListName } from '../interception-words/interception-word.entity';
import type { AdmitOutcome } from './admission-result';

const DECISION_ALLOW = 1;
const DECISION_PROCESS_FAILED = 2;

const ENCODING: Record<MessageEncodingName, number> = { GSM7: 1, UCS2: 2 };
const WORD_LIST: Record<WordListName, number> = { PLATFORM: 1, ACCOUNT: 2 };

/** The body of one AdmitResult. */
function writeAdmitResult(w: Writer, outcome: AdmitOutcome): void {
  w.stringField(1, outcome.phone);
  w.varintField(2, outcome.reason ? DECISION_PROCESS_FAILED : DECISION_ALLOW);
  if (outcome.reason) w.varintField(3, PROCESS_FAILED_REASON_NUMBERS[outcome.reason]);
  w.stringField(4, outcome.detail);
  w.varintField(5, outcome.entries);
  if (outcome.encoding) w.varintField(6, ENCODING[outcome.encoding]);
  // The blocking entry and unsubscribe are encoded exactly as Check answers them.
  if (outcome.entry) writeEntry(w, 7, outcome.entry);
  if (outcome.unsubscribe) writeUnsubscribe(w, 8, outcome.unsubscribe);
  if (outcome.word) {
    const start = w.begin(9);
    w.stringField(1, outcome.word.word);
    w.varintField(2, WORD_LIST[outcome.word.list]);
    w.stringField(3, outcome.word.matchedText);
    w.end(start);
  }
  w.stringField(10, outcome.variable ?? '');
  if (outcome.frequency) {
    const start = w.begin(11);
    w.stringField(1, outcome.frequency.scope);
    w.varintField(2, outcome.frequency.seconds);
    w.varintField(3, outcome.frequency.limit);
    w.timestampField(4, outcome.frequency.retryAtMs);
    w.end(start);
  }
}

/** Room for a typical result (phone, decision, segments; a detail line when refused). */
const RESULT_BYTES = 48;

export function encodeAdmitResponse(
  outcome: AdmitOutcome,
): EncodedMessage<interceptionV1.AdmitResponse> {
  const w = new Writer(outcome.entry || outcome.unsubscribe ? 512 : 256);
  const start = w.begin(1);
  writeAdmitResult(w, outcome);
  w.end(start);
  return w.finish();
}

export function encodeAdmitBatchResponse(
  outcomes: readonly AdmitOutcome[],
): EncodedMessage<interceptionV1.AdmitBatchResponse> {
  const w = new Writer(64 + outcomes.length * RESULT_BYTES);
  for (const outcome of outcomes) {
    const start = w.begin(1);
    writeAdmitResult(w, outcome);
    w.end(start);
  }
  return w.finish();
}
