import {
  isFinalStatus,
  type MessageStatusName,
  type ProcessFailedReasonName,
  type TemplateTypeName,
} from '@sms/domain-catalogue';
import { RECEIPT_TIMEOUT_CODE, RECEIPT_TIMEOUT_DETAIL, type EventKindName } from './message-enums';

// SPEC 2.3: the whole status lifecycle of one message, as pure functions over plain values.
// Everything else (ingest, the timeout job, parked receipts) only loads state, calls
// `applyEvent` and stores what it returns.

export interface AcceptedFields {
  readonly accountId: string;
  readonly smsUser: string;
  /** E.164, normalised by the parser. */
  readonly recipient: string;
  readonly entries: number;
  readonly templateId: string;
  readonly templateType: TemplateTypeName;
  readonly labels: readonly string[];
}

interface EventBase {
  readonly messageId: string;
  /** Idempotency key: `id:<eventId>` or `<kind>:<code>:<occurredAt ms>`. */
  readonly key: string;
  readonly occurredAt: Date;
}

export type StatusEvent = EventBase &
  (
    | { readonly kind: 'ACCEPTED'; readonly accepted: AcceptedFields }
    | {
        readonly kind: 'PROCESS_FAILED';
        readonly reason: ProcessFailedReasonName;
        readonly detail: string;
      }
    | { readonly kind: 'SUBMITTED'; readonly channel: string; readonly operator: string }
    | { readonly kind: 'DELIVERED'; readonly detail: string; readonly operator: string }
    | {
        readonly kind: 'SEND_FAILED';
        readonly code: number;
        readonly detail: string;
        readonly operator: string;
      }
    // Synthetic, produced by the wait-result timeout job.
    | { readonly kind: 'RECEIPT_TIMEOUT' }
  );

export interface SendLogEntry {
  readonly key: string;
  readonly kind: EventKindName;
  readonly result: 'APPLIED' | 'IGNORED';
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly detail: string;
  readonly statusAfter: MessageStatusName;
}

export interface MessageState extends AcceptedFields {
  readonly messageId: string;
  readonly requestTime: Date;
  readonly channel: string;
  readonly operator: string;
  readonly status: MessageStatusName;
  readonly processFailedReason: ProcessFailedReasonName | null;
  readonly sendFailureCode: number | null;
  readonly reasonDetail: string;
  readonly channelSendTime: Date | null;
  readonly receiptTime: Date | null;
  readonly updateTime: Date;
  /** The current SEND_FAILED/590 came from the wait-result timeout: a real receipt may replace it. */
  readonly syntheticOutcome: boolean;
  /** Oldest first. */
  readonly sendLog: readonly SendLogEntry[];
}

export type Transition =
  /** Same idempotency key seen before: nothing changes. */
  | { readonly result: 'DUPLICATE'; readonly state: MessageState }
  /** A receipt for a message not accepted yet: keep it until ACCEPTED arrives. */
  | { readonly result: 'PARKED' }
  /** The synthetic timeout found the message no longer waiting: nothing to do, nothing logged. */
  | { readonly result: 'NOT_APPLICABLE'; readonly state: MessageState }
  | {
      readonly result: 'APPLIED' | 'IGNORED';
      readonly state: MessageState;
      /** Why an event was ignored; empty when applied. */
      readonly reason: string;
      /** A real SEND_FAILED became the outcome: hand it to the interception service. */
      readonly reportsFailure: boolean;
    };

export type TransitionResult = Transition['result'];

/** Applies one event to a message (or to nothing, when the message is not known yet). */
export function applyEvent(
  state: MessageState | null,
  event: StatusEvent,
  recordedAt: Date,
): Transition {
  if (state === null) {
    return event.kind === 'ACCEPTED'
      ? applied(createMessage(event.messageId, event.occurredAt, event.accepted), event, recordedAt)
      : { result: 'PARKED' };
  }
  if (state.sendLog.some((entry) => entry.key === event.key)) {
    return { result: 'DUPLICATE', state };
  }
  switch (event.kind) {
    case 'ACCEPTED':
      return ignored(state, event, recordedAt, 'message was already accepted');
    case 'PROCESS_FAILED':
      if (state.status !== 'SENDING') return ignored(state, event, recordedAt, notWhen(state));
      return applied(
        {
          ...state,
          status: 'PROCESS_FAILED',
          processFailedReason: event.reason,
          reasonDetail: event.detail,
        },
        event,
        recordedAt,
      );
    case 'SUBMITTED':
      return applySubmitted(state, event, recordedAt);
    case 'DELIVERED':
    case 'SEND_FAILED':
      return applyReceipt(state, event, recordedAt);
    case 'RECEIPT_TIMEOUT':
      if (state.status !== 'WAIT_RESULT') return { result: 'NOT_APPLICABLE', state };
      return applied(
        {
          ...state,
          status: 'SEND_FAILED',
          sendFailureCode: RECEIPT_TIMEOUT_CODE,
          reasonDetail: RECEIPT_TIMEOUT_DETAIL,
          receiptTime: event.occurredAt,
          syntheticOutcome: true,
        },
        event,
        recordedAt,
      );
  }
}

/** The idempotency key of an event: the sender's id, or (kind, code, occurredAt) per message. */
export function idempotencyKey(
  eventId: string,
  kind: EventKindName,
  code: string | number,
  occurredAt: Date,
): string {
  return eventId ? `id:${eventId}` : `${kind}:${code}:${occurredAt.getTime()}`;
}

function createMessage(messageId: string, requestTime: Date, fields: AcceptedFields): MessageState {
  // Field by field: spreading `fields` and overriding `labels` sends V8 down a slow path
  // (measured: a third of the ingest CPU).
  return {
    accountId: fields.accountId,
    smsUser: fields.smsUser,
    recipient: fields.recipient,
    entries: fields.entries,
    templateId: fields.templateId,
    templateType: fields.templateType,
    labels: [...fields.labels],
    messageId,
    requestTime,
    channel: '',
    operator: '',
    status: 'SENDING',
    processFailedReason: null,
    sendFailureCode: null,
    reasonDetail: '',
    channelSendTime: null,
    receiptTime: null,
    updateTime: requestTime,
    syntheticOutcome: false,
    sendLog: [],
  };
}

function applySubmitted(
  state: MessageState,
  event: Extract<StatusEvent, { kind: 'SUBMITTED' }>,
  recordedAt: Date,
): Transition {
  if (state.status === 'SENDING') {
    return applied(
      {
        ...state,
        status: 'WAIT_RESULT',
        channel: event.channel,
        operator: event.operator || state.operator,
        channelSendTime: event.occurredAt,
      },
      event,
      recordedAt,
    );
  }
  // A receipt overtook SUBMITTED: record when and where it was sent, never move the status back.
  if (
    (state.status === 'DELIVERED' || state.status === 'SEND_FAILED') &&
    state.channelSendTime === null
  ) {
    return applied(
      {
        ...state,
        channel: event.channel,
        operator: state.operator || event.operator,
        channelSendTime: event.occurredAt,
      },
      event,
      recordedAt,
    );
  }
  return ignored(
    state,
    event,
    recordedAt,
    state.status === 'WAIT_RESULT' ? 'message was already submitted' : notWhen(state),
  );
}

function applyReceipt(
  state: MessageState,
  event: Extract<StatusEvent, { kind: 'DELIVERED' | 'SEND_FAILED' }>,
  recordedAt: Date,
): Transition {
  const replacesTimeout = state.status === 'SEND_FAILED' && state.syntheticOutcome;
  if (state.status === 'PROCESS_FAILED' || (isFinalStatus(state.status) && !replacesTimeout)) {
    return ignored(state, event, recordedAt, notWhen(state));
  }
  const outcome: MessageState =
    event.kind === 'DELIVERED'
      ? {
          ...state,
          status: 'DELIVERED',
          sendFailureCode: null,
          reasonDetail: event.detail,
          operator: event.operator || state.operator,
          receiptTime: event.occurredAt,
          syntheticOutcome: false,
        }
      : {
          ...state,
          status: 'SEND_FAILED',
          sendFailureCode: event.code,
          reasonDetail: event.detail,
          operator: event.operator || state.operator,
          receiptTime: event.occurredAt,
          syntheticOutcome: false,
        };
  return applied(outcome, event, recordedAt, event.kind === 'SEND_FAILED');
}

function notWhen(state: MessageState): string {
  if (state.status === 'SENDING') return 'message was not handed to a channel yet';
  if (state.status === 'WAIT_RESULT') return 'message was already handed to a channel';
  return `message already has the final status ${state.status}`;
}

function applied(
  next: MessageState,
  event: StatusEvent,
  recordedAt: Date,
  reportsFailure = false,
): Transition {
  const state = withLog({ ...next, updateTime: recordedAt }, event, 'APPLIED', recordedAt);
  return { result: 'APPLIED', state, reason: '', reportsFailure };
}

function ignored(
  state: MessageState,
  event: StatusEvent,
  recordedAt: Date,
  reason: string,
): Transition {
  // Kept in the send log, changes nothing else (not even update_time).
  return {
    result: 'IGNORED',
    state: withLog(state, event, 'IGNORED', recordedAt, reason),
    reason,
    reportsFailure: false,
  };
}

function withLog(
  state: MessageState,
  event: StatusEvent,
  result: 'APPLIED' | 'IGNORED',
  recordedAt: Date,
  reason = '',
): MessageState {
  const entry: SendLogEntry = {
    key: event.key,
    kind: event.kind,
    result,
    occurredAt: event.occurredAt,
    recordedAt,
    detail: [describeEvent(event), reason].filter(Boolean).join('; '),
    statusAfter: state.status,
  };
  return { ...state, sendLog: [...state.sendLog, entry] };
}

function describeEvent(event: StatusEvent): string {
  switch (event.kind) {
    case 'ACCEPTED':
      return `account ${event.accepted.accountId}, ${event.accepted.entries} entries`;
    case 'PROCESS_FAILED':
      return [event.reason, event.detail].filter(Boolean).join(': ');
    case 'SUBMITTED':
      return [`channel ${event.channel}`, event.operator && `operator ${event.operator}`]
        .filter(Boolean)
        .join(', ');
    case 'DELIVERED':
      return event.detail;
    case 'SEND_FAILED':
      return [String(event.code), event.detail].filter(Boolean).join(': ');
    case 'RECEIPT_TIMEOUT':
      return `${RECEIPT_TIMEOUT_CODE}: ${RECEIPT_TIMEOUT_DETAIL}`;
  }
}
