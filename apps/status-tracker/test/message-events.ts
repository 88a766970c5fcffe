import { toTimestamp, type statusV1 } from '@sms/contracts';

// Wire events for tests, as a sender would build them.

type Event = statusV1.MessageEvent;

export interface AcceptedOverrides {
  accountId?: string;
  smsUser?: string;
  recipient?: string;
  entries?: number;
  templateId?: string;
  templateType?: string;
  labels?: string[];
  eventId?: string;
}

export function accepted(messageId: string, at: Date, overrides: AcceptedOverrides = {}): Event {
  return {
    eventId: overrides.eventId ?? '',
    messageId,
    occurredAt: toTimestamp(at),
    accepted: {
      accountId: overrides.accountId ?? 'acct-1',
      smsUser: overrides.smsUser ?? 'user-1',
      recipient: overrides.recipient ?? '+447911123456',
      entries: overrides.entries ?? 1,
      templateId: overrides.templateId ?? 'tpl-1',
      templateType: (overrides.templateType ?? 'TEMPLATE_TYPE_NOTIFICATION') as never,
      labels: overrides.labels ?? [],
    },
  };
}

export function submitted(messageId: string, at: Date, channel = 'ch-a', eventId = ''): Event {
  return {
    eventId,
    messageId,
    occurredAt: toTimestamp(at),
    submitted: { channel, operator: 'op-x' },
  };
}

export function delivered(messageId: string, at: Date, eventId = ''): Event {
  return {
    eventId,
    messageId,
    occurredAt: toTimestamp(at),
    delivered: { detail: 'DELIVRD', operator: '' },
  };
}

export function sendFailed(
  messageId: string,
  at: Date,
  code = 'SEND_FAILURE_CODE_EMPTY',
  eventId = '',
): Event {
  return {
    eventId,
    messageId,
    occurredAt: toTimestamp(at),
    sendFailed: { code: code as never, detail: 'UNDELIV', operator: '' },
  };
}

export function processFailed(
  messageId: string,
  at: Date,
  reason = 'PROCESS_FAILED_REASON_GLOBAL_BLOCK',
): Event {
  return {
    eventId: '',
    messageId,
    occurredAt: toTimestamp(at),
    processFailed: { reason: reason as never, detail: 'blocked' },
  };
}

export const minutesAgo = (minutes: number, now = Date.now()): Date =>
  new Date(now - minutes * 60_000);
