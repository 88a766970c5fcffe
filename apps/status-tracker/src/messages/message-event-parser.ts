import type { statusV1 } from '@sms/contracts';
import { fromTimestamp } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { processFailedReasonEnum, sendFailureCodeEnum, templateTypeEnum } from './message-enums';
import { idempotencyKey, type StatusEvent } from './message-state-machine';

// Turns one wire event into a domain event, or says why it is refused. Pure: the ingest use
// case answers a refusal as REJECTED for that event alone and stores nothing for it.

export const MAX_ID_LENGTH = 128;
export const MAX_TEXT_LENGTH = 1000;
export const MAX_LABELS = 20;
export const MAX_LABEL_LENGTH = 64;
/** A concatenated SMS has at most 255 parts. */
export const MAX_ENTRIES = 255;
/** Times outside this range are garbage (and some do not fit PostgreSQL's timestamptz). */
const EARLIEST_TIME = Date.parse('2000-01-01T00:00:00Z');
const LATEST_SKEW_MS = 86_400_000;

export interface ParseContext {
  /** Oldest request time still inside the retention window. */
  readonly oldestRequestTime: Date;
  /** Newest request time accepted (now plus a little clock skew). */
  readonly newestRequestTime: Date;
}

export type ParsedEvent = { ok: true; event: StatusEvent } | { ok: false; reason: string };

/** The wire event as proto-loader decodes it (the oneof also names its member in `event`). */
export type WireEvent = statusV1.MessageEvent & { event?: string | null };

export function parseEvent(wire: WireEvent, context: ParseContext): ParsedEvent {
  try {
    return { ok: true, event: parseOrThrow(wire, context) };
  } catch (error) {
    if (error instanceof EventRefusal) return { ok: false, reason: error.message };
    throw error;
  }
}

class EventRefusal extends Error {}

function refuse(reason: string): never {
  throw new EventRefusal(reason);
}

function identifier(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) refuse(`${field} is required`);
  if (text.length > MAX_ID_LENGTH) refuse(`${field} is longer than ${MAX_ID_LENGTH} characters`);
  if (!isPrintableAscii(text) && /[\s\p{C}]/u.test(text))
    refuse(`${field} must not contain spaces or control characters`);
  return text;
}

/** Visible ASCII only: the common id needs no Unicode-aware scan (ingest runs 5 per event). */
function isPrintableAscii(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

function text(value: unknown, field: string): string {
  const result = typeof value === 'string' ? value.trim() : '';
  if (result.length > MAX_TEXT_LENGTH)
    refuse(`${field} is longer than ${MAX_TEXT_LENGTH} characters`);
  return result;
}

function parseOrThrow(wire: WireEvent, context: ParseContext): StatusEvent {
  const messageId = identifier(wire.messageId, 'message_id');
  const eventId = wire.eventId ? identifier(wire.eventId, 'event_id') : '';
  const occurredAt = fromTimestamp(wire.occurredAt);
  if (!occurredAt || Number.isNaN(occurredAt.getTime())) refuse('occurred_at is required');
  if (
    occurredAt.getTime() < EARLIEST_TIME ||
    occurredAt.getTime() > context.newestRequestTime.getTime() + LATEST_SKEW_MS
  )
    refuse(`occurred_at ${occurredAt.toISOString()} is not a plausible time`);
  const base = { messageId, occurredAt };
  switch (wire.event ?? memberOf(wire)) {
    case 'accepted': {
      const detail = wire.accepted as statusV1.AcceptedDetail;
      if (occurredAt < context.oldestRequestTime)
        refuse('occurred_at (request time) is before the retention window');
      if (occurredAt > context.newestRequestTime)
        refuse('occurred_at (request time) is in the future');
      const phone = tryNormalizePhone(detail.recipient);
      if (!phone.ok) refuse(`accepted.recipient "${detail.recipient}" ${phone.problem}`);
      if (!Number.isInteger(detail.entries) || detail.entries < 1 || detail.entries > MAX_ENTRIES)
        refuse(`accepted.entries must be 1..${MAX_ENTRIES}`);
      const templateType = templateTypeEnum.parse(detail.templateType);
      if (!templateType)
        refuse(
          `accepted.template_type ${String(detail.templateType)} is not a known template type`,
        );
      const labels = (detail.labels ?? []).map((label) => label.trim());
      if (labels.length > MAX_LABELS) refuse(`accepted.labels has more than ${MAX_LABELS} labels`);
      if (labels.some((label) => !label || label.length > MAX_LABEL_LENGTH))
        refuse(`accepted.labels must be 1..${MAX_LABEL_LENGTH} characters each`);
      return {
        ...base,
        kind: 'ACCEPTED',
        key: idempotencyKey(eventId, 'ACCEPTED', '', occurredAt),
        accepted: {
          accountId: identifier(detail.accountId, 'accepted.account_id'),
          smsUser: identifier(detail.smsUser, 'accepted.sms_user'),
          recipient: phone.e164,
          entries: detail.entries,
          templateId: identifier(detail.templateId, 'accepted.template_id'),
          templateType,
          labels: [...new Set(labels)],
        },
      };
    }
    case 'processFailed': {
      const detail = wire.processFailed as statusV1.ProcessFailedDetail;
      const reason = processFailedReasonEnum.parse(detail.reason);
      if (!reason) refuse(`process_failed.reason ${String(detail.reason)} is not a known reason`);
      return {
        ...base,
        kind: 'PROCESS_FAILED',
        key: idempotencyKey(eventId, 'PROCESS_FAILED', reason, occurredAt),
        reason,
        detail: text(detail.detail, 'process_failed.detail'),
      };
    }
    case 'submitted': {
      const detail = wire.submitted as statusV1.SubmittedDetail;
      return {
        ...base,
        kind: 'SUBMITTED',
        key: idempotencyKey(eventId, 'SUBMITTED', '', occurredAt),
        channel: identifier(detail.channel, 'submitted.channel'),
        operator: text(detail.operator, 'submitted.operator'),
      };
    }
    case 'delivered': {
      const detail = wire.delivered as statusV1.DeliveredDetail;
      return {
        ...base,
        kind: 'DELIVERED',
        key: idempotencyKey(eventId, 'DELIVERED', '', occurredAt),
        detail: text(detail.detail, 'delivered.detail'),
        operator: text(detail.operator, 'delivered.operator'),
      };
    }
    case 'sendFailed': {
      const detail = wire.sendFailed as statusV1.SendFailedDetail;
      const code = sendFailureCodeEnum.parse(detail.code);
      if (!code) refuse(`send_failed.code ${String(detail.code)} is not a known send-failure code`);
      return {
        ...base,
        kind: 'SEND_FAILED',
        key: idempotencyKey(eventId, 'SEND_FAILED', code, occurredAt),
        code,
        detail: text(detail.detail, 'send_failed.detail'),
        operator: text(detail.operator, 'send_failed.operator'),
      };
    }
    default:
      return refuse('the event has no kind (accepted, process_failed, submitted, ...)');
  }
}

// Plain objects built in-process (tests, the benchmark) have no virtual oneof field.
function memberOf(wire: WireEvent): string | undefined {
  return (['accepted', 'processFailed', 'submitted', 'delivered', 'sendFailed'] as const).find(
    (member) => wire[member],
  );
}
