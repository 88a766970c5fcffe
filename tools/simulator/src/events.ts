// Turns one round of the plan plus the interception verdicts into what the sending service and
// the channels report, in the order they report it, and what status-tracker must answer.
import type { ProcessFailedReasonName, SendFailureCodeNumber } from '@sms/domain-catalogue';
import type { PlannedMessage, PlannedReply } from './scenario';

/** What Check answers: the block verdicts. */
export type CheckVerdict = 'ALLOW' | 'GLOBAL_BLOCK' | 'PARTIAL_BLOCK' | 'UNSUBSCRIBE';
/** What Admit answers: ALLOW or any process-failed reason. */
export type AdmitVerdict = 'ALLOW' | ProcessFailedReasonName;

export type EventDetail =
  | {
      readonly kind: 'ACCEPTED';
      readonly accountId: string;
      readonly smsUser: string;
      readonly recipient: string;
      readonly entries: number;
      readonly templateId: string;
      readonly templateType: PlannedMessage['templateType'];
      readonly labels: readonly string[];
    }
  | {
      readonly kind: 'PROCESS_FAILED';
      readonly reason: ProcessFailedReasonName;
      /** Admission's detail, recorded as given. */
      readonly detail?: string;
    }
  | { readonly kind: 'SUBMITTED'; readonly channel: string; readonly operator: string }
  | { readonly kind: 'DELIVERED'; readonly detail: string; readonly operator: string }
  | {
      readonly kind: 'SEND_FAILED';
      readonly code: SendFailureCodeNumber;
      readonly detail: string;
      readonly operator: string;
    };

/** What status-tracker must answer; ANY where the spec leaves it open. */
export type ExpectedResult = 'APPLIED' | 'DUPLICATE' | 'IGNORED' | 'ANY';

export interface SimEvent {
  /** Empty: status-tracker keys it by (messageId, kind, code, occurredAt). */
  readonly eventId: string;
  readonly messageId: string;
  readonly occurredAt: Date;
  readonly detail: EventDetail;
  readonly expect: ExpectedResult;
}

export type MessageStatusName =
  'SENDING' | 'WAIT_RESULT' | 'DELIVERED' | 'PROCESS_FAILED' | 'SEND_FAILED';

export interface ExpectedMessage {
  readonly status: MessageStatusName;
  readonly processFailedReason?: ProcessFailedReasonName;
  readonly sendFailureCode?: SendFailureCodeNumber;
  /** The kinds the send log must show as applied, in occurrence order. */
  readonly appliedKinds: readonly EventDetail['kind'][];
  /** Kinds that must appear in the log as not applied (a conflicting later receipt). */
  readonly ignoredKinds: readonly EventDetail['kind'][];
}

/** A refused send is stopped with the reason admission gave. */
export function processFailedReasonFor(verdict: AdmitVerdict): ProcessFailedReasonName | undefined {
  return verdict === 'ALLOW' ? undefined : verdict;
}

export function receiptDetail(code: SendFailureCodeNumber): string {
  return `DLR stat=UNDELIV err=${code}`;
}

function receiptOf(message: PlannedMessage): EventDetail | undefined {
  const { outcome, operator } = message;
  if (outcome.kind === 'DELIVERED')
    return { kind: 'DELIVERED', detail: 'DLR stat=DELIVRD', operator };
  if (outcome.kind === 'SEND_FAILED') {
    return {
      kind: 'SEND_FAILED',
      code: outcome.code,
      detail: receiptDetail(outcome.code),
      operator,
    };
  }
  return undefined;
}

/**
 * The round's events in four waves, each wave one or more RecordEvents calls made after the
 * previous wave was answered: (1) ACCEPTED for every message, (2) PROCESS_FAILED for blocked
 * ones, SUBMITTED for the others — except out-of-order messages, whose receipt comes here
 * instead, (3) receipts, and SUBMITTED of out-of-order messages, (4) the channel repeating
 * receipts (duplicates) and late conflicting receipts.
 */
export function roundEventWaves(
  messages: readonly PlannedMessage[],
  accountIds: readonly string[],
  verdicts: ReadonlyMap<string, AdmitVerdict>,
  details: ReadonlyMap<string, string> = new Map(),
): SimEvent[][] {
  const waves: SimEvent[][] = [[], [], [], []];
  const [accepted, second, third, repeats] = waves as [
    SimEvent[],
    SimEvent[],
    SimEvent[],
    SimEvent[],
  ];
  for (const message of messages) {
    const { messageId } = message;
    accepted.push({
      eventId: `${messageId}.accepted`,
      messageId,
      occurredAt: message.requestTime,
      expect: 'APPLIED',
      detail: {
        kind: 'ACCEPTED',
        accountId: accountIdAt(accountIds, message.accountIndex),
        smsUser: message.smsUser,
        recipient: message.recipient,
        entries: message.entries,
        templateId: message.templateId,
        templateType: message.templateType,
        labels: message.labels,
      },
    });
    const reason = processFailedReasonFor(verdicts.get(messageId) ?? 'ALLOW');
    if (reason) {
      second.push({
        eventId: `${messageId}.process-failed`,
        messageId,
        occurredAt: new Date(message.requestTime.getTime() + 50),
        expect: 'APPLIED',
        detail: { kind: 'PROCESS_FAILED', reason, detail: details.get(messageId) },
      });
      continue;
    }
    if (message.outcome.kind === 'NOT_SUBMITTED') continue;
    const submitted: SimEvent = {
      eventId: `${messageId}.submitted`,
      messageId,
      occurredAt: message.submitTime,
      // After its receipt, SUBMITTED only records the send time; the spec does not say whether
      // that is answered APPLIED or IGNORED.
      expect: message.receiptBeforeSubmitted ? 'ANY' : 'APPLIED',
      detail: { kind: 'SUBMITTED', channel: message.channel, operator: message.operator },
    };
    const receipt = receiptOf(message);
    if (!receipt) {
      second.push(submitted);
      continue;
    }
    const receiptEvent: SimEvent = {
      eventId: message.receiptWithoutEventId ? '' : `${messageId}.receipt`,
      messageId,
      occurredAt: message.receiptTime,
      expect: 'APPLIED',
      detail: receipt,
    };
    if (message.receiptBeforeSubmitted) {
      second.push(receiptEvent);
      third.push(submitted);
    } else {
      second.push(submitted);
      third.push(receiptEvent);
    }
    if (message.duplicateReceipt) repeats.push({ ...receiptEvent, expect: 'DUPLICATE' });
    if (message.conflictingReceipt) {
      repeats.push({
        eventId: `${messageId}.late-delivered`,
        messageId,
        occurredAt: new Date(message.receiptTime.getTime() + 30_000),
        expect: 'IGNORED',
        detail: {
          kind: 'DELIVERED',
          detail: 'DLR stat=DELIVRD (late)',
          operator: message.operator,
        },
      });
    }
  }
  return waves;
}

/** The record status-tracker must end up with for a message, given the verdict at send time. */
export function expectedMessage(message: PlannedMessage, verdict: AdmitVerdict): ExpectedMessage {
  const reason = processFailedReasonFor(verdict);
  if (reason) {
    return {
      status: 'PROCESS_FAILED',
      processFailedReason: reason,
      appliedKinds: ['ACCEPTED', 'PROCESS_FAILED'],
      ignoredKinds: [],
    };
  }
  const { outcome } = message;
  switch (outcome.kind) {
    case 'NOT_SUBMITTED':
      return { status: 'SENDING', appliedKinds: ['ACCEPTED'], ignoredKinds: [] };
    case 'NO_RECEIPT':
      return { status: 'WAIT_RESULT', appliedKinds: ['ACCEPTED', 'SUBMITTED'], ignoredKinds: [] };
    case 'DELIVERED':
      return {
        status: 'DELIVERED',
        appliedKinds: [
          'ACCEPTED',
          ...(message.receiptBeforeSubmitted ? [] : ['SUBMITTED' as const]),
          'DELIVERED',
        ],
        ignoredKinds: [],
      };
    case 'SEND_FAILED':
      return {
        status: 'SEND_FAILED',
        sendFailureCode: outcome.code,
        appliedKinds: [
          'ACCEPTED',
          ...(message.receiptBeforeSubmitted ? [] : ['SUBMITTED' as const]),
          'SEND_FAILED',
        ],
        ignoredKinds: message.conflictingReceipt ? ['DELIVERED'] : [],
      };
  }
}

export interface SimReply {
  readonly replyId: string;
  readonly phone: string;
  readonly content: string;
  readonly receivedAt: Date;
  readonly channel: string;
  readonly operator: string;
  /** Empty unless the channel names it. */
  readonly accountId: string;
  readonly messageId: string;
  readonly expect: 'APPLIED' | 'DUPLICATE';
}

/**
 * The round's replies in two calls: the replies themselves, then the channel repeating some.
 * A reply answers a delivered message, so replies to messages that were blocked are dropped.
 */
export function roundReplyCalls(
  replies: readonly PlannedReply[],
  messagesById: ReadonlyMap<string, PlannedMessage>,
  accountIds: readonly string[],
  verdicts: ReadonlyMap<string, AdmitVerdict>,
): { sent: PlannedReply[]; calls: SimReply[][] } {
  const sent = replies.filter(
    (reply) => (verdicts.get(reply.answersMessageId) ?? 'ALLOW') === 'ALLOW',
  );
  const first: SimReply[] = sent.map((reply) => {
    const message = messagesById.get(reply.answersMessageId);
    if (!message) throw new Error(`reply ${reply.replyId} answers an unknown message`);
    return {
      replyId: reply.replyId,
      phone: reply.phone,
      content: reply.content,
      receivedAt: reply.receivedAt,
      channel: reply.channel,
      operator: reply.operator,
      accountId: reply.naming === 'NONE' ? '' : accountIdAt(accountIds, message.accountIndex),
      messageId: reply.naming === 'MESSAGE' ? message.messageId : '',
      expect: 'APPLIED',
    };
  });
  const repeats = first
    .filter((_, n) => sent[n].duplicate)
    .map((reply) => ({ ...reply, expect: 'DUPLICATE' as const }));
  return { sent, calls: [first, repeats] };
}

export function accountIdAt(accountIds: readonly string[], index: number): string {
  const id = accountIds[index];
  if (id === undefined) throw new RangeError(`no account at index ${index}`);
  return id;
}
