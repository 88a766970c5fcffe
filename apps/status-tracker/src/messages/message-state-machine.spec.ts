import type { MessageStatusName } from '@sms/domain-catalogue';
import { MESSAGE_CHANGING_COLUMNS, MESSAGE_COLUMNS, toRow } from './message-record';
import {
  applyEvent,
  idempotencyKey,
  type MessageState,
  type StatusEvent,
} from './message-state-machine';

const T0 = new Date('2026-11-20T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const NOW = at(10_000);

type Kind = StatusEvent['kind'];

function event(
  kind: Kind,
  minutes: number,
  extra: Partial<Record<string, unknown>> = {},
): StatusEvent {
  const base = { messageId: 'm1', occurredAt: at(minutes), key: `${kind}::${minutes}` };
  switch (kind) {
    case 'ACCEPTED':
      return {
        ...base,
        kind,
        accepted: {
          accountId: 'a1',
          smsUser: 'u1',
          recipient: '+447911123456',
          entries: 2,
          templateId: 't1',
          templateType: 'MARKETING',
          labels: ['x'],
        },
      };
    case 'PROCESS_FAILED':
      return { ...base, kind, reason: 'UNSUBSCRIBE', detail: 'opted out' };
    case 'SUBMITTED':
      return { ...base, kind, channel: 'ch', operator: 'op', ...extra };
    case 'DELIVERED':
      return { ...base, kind, detail: 'DELIVRD', operator: '' };
    case 'SEND_FAILED':
      return { ...base, kind, code: 510, detail: 'UNDELIV', operator: '', ...extra };
    case 'RECEIPT_TIMEOUT':
      return { ...base, kind, key: 'RECEIPT_TIMEOUT' };
  }
}

/** Runs events from nothing; each must be applied. */
function stateAfter(...events: StatusEvent[]): MessageState {
  let state: MessageState | null = null;
  for (const e of events) {
    const transition = applyEvent(state, e, NOW);
    if (transition.result !== 'APPLIED')
      throw new Error(`setup event ${e.kind} was ${transition.result}`);
    state = transition.state;
  }
  return state as MessageState;
}

const STATES: Record<string, () => MessageState | null> = {
  unknown: () => null,
  SENDING: () => stateAfter(event('ACCEPTED', 0)),
  WAIT_RESULT: () => stateAfter(event('ACCEPTED', 0), event('SUBMITTED', 1)),
  DELIVERED: () => stateAfter(event('ACCEPTED', 0), event('SUBMITTED', 1), event('DELIVERED', 2)),
  'DELIVERED before SUBMITTED': () => stateAfter(event('ACCEPTED', 0), event('DELIVERED', 2)),
  PROCESS_FAILED: () => stateAfter(event('ACCEPTED', 0), event('PROCESS_FAILED', 1)),
  SEND_FAILED: () =>
    stateAfter(event('ACCEPTED', 0), event('SUBMITTED', 1), event('SEND_FAILED', 2)),
  'SEND_FAILED before SUBMITTED': () => stateAfter(event('ACCEPTED', 0), event('SEND_FAILED', 2)),
  'SEND_FAILED by timeout': () =>
    stateAfter(event('ACCEPTED', 0), event('SUBMITTED', 1), event('RECEIPT_TIMEOUT', 5000)),
};

// [state, event] → [result, status after, reports the failure]
type Expected = [string, MessageStatusName | null, boolean?];
const TABLE: Record<string, Record<Kind, Expected>> = {
  unknown: {
    ACCEPTED: ['APPLIED', 'SENDING'],
    PROCESS_FAILED: ['PARKED', null],
    SUBMITTED: ['PARKED', null],
    DELIVERED: ['PARKED', null],
    SEND_FAILED: ['PARKED', null],
    RECEIPT_TIMEOUT: ['PARKED', null],
  },
  SENDING: {
    ACCEPTED: ['IGNORED', 'SENDING'],
    PROCESS_FAILED: ['APPLIED', 'PROCESS_FAILED'],
    SUBMITTED: ['APPLIED', 'WAIT_RESULT'],
    DELIVERED: ['APPLIED', 'DELIVERED'],
    SEND_FAILED: ['APPLIED', 'SEND_FAILED', true],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'SENDING'],
  },
  WAIT_RESULT: {
    ACCEPTED: ['IGNORED', 'WAIT_RESULT'],
    PROCESS_FAILED: ['IGNORED', 'WAIT_RESULT'],
    SUBMITTED: ['IGNORED', 'WAIT_RESULT'],
    DELIVERED: ['APPLIED', 'DELIVERED'],
    SEND_FAILED: ['APPLIED', 'SEND_FAILED', true],
    RECEIPT_TIMEOUT: ['APPLIED', 'SEND_FAILED', false],
  },
  DELIVERED: {
    ACCEPTED: ['IGNORED', 'DELIVERED'],
    PROCESS_FAILED: ['IGNORED', 'DELIVERED'],
    SUBMITTED: ['IGNORED', 'DELIVERED'],
    DELIVERED: ['IGNORED', 'DELIVERED'],
    SEND_FAILED: ['IGNORED', 'DELIVERED'],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'DELIVERED'],
  },
  'DELIVERED before SUBMITTED': {
    ACCEPTED: ['IGNORED', 'DELIVERED'],
    PROCESS_FAILED: ['IGNORED', 'DELIVERED'],
    SUBMITTED: ['APPLIED', 'DELIVERED'],
    DELIVERED: ['IGNORED', 'DELIVERED'],
    SEND_FAILED: ['IGNORED', 'DELIVERED'],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'DELIVERED'],
  },
  PROCESS_FAILED: {
    ACCEPTED: ['IGNORED', 'PROCESS_FAILED'],
    PROCESS_FAILED: ['IGNORED', 'PROCESS_FAILED'],
    SUBMITTED: ['IGNORED', 'PROCESS_FAILED'],
    DELIVERED: ['IGNORED', 'PROCESS_FAILED'],
    SEND_FAILED: ['IGNORED', 'PROCESS_FAILED'],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'PROCESS_FAILED'],
  },
  SEND_FAILED: {
    ACCEPTED: ['IGNORED', 'SEND_FAILED'],
    PROCESS_FAILED: ['IGNORED', 'SEND_FAILED'],
    SUBMITTED: ['IGNORED', 'SEND_FAILED'],
    DELIVERED: ['IGNORED', 'SEND_FAILED'],
    SEND_FAILED: ['IGNORED', 'SEND_FAILED'],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'SEND_FAILED'],
  },
  'SEND_FAILED before SUBMITTED': {
    ACCEPTED: ['IGNORED', 'SEND_FAILED'],
    PROCESS_FAILED: ['IGNORED', 'SEND_FAILED'],
    SUBMITTED: ['APPLIED', 'SEND_FAILED'],
    DELIVERED: ['IGNORED', 'SEND_FAILED'],
    SEND_FAILED: ['IGNORED', 'SEND_FAILED'],
    RECEIPT_TIMEOUT: ['NOT_APPLICABLE', 'SEND_FAILED'],
  },
  'SEND_FAILED by timeout': {
    ACCEPTED: ['IGNORED', 'SEND_FAILED'],
    PROCESS_FAILED: ['IGNORED', 'SEND_FAILED'],
    SUBMITTED: ['IGNORED', 'SEND_FAILED'],
    DELIVERED: ['APPLIED', 'DELIVERED'],
    SEND_FAILED: ['APPLIED', 'SEND_FAILED', true],
    RECEIPT_TIMEOUT: ['DUPLICATE', 'SEND_FAILED'],
  },
};

const CASES = Object.entries(TABLE).flatMap(([stateName, row]) =>
  Object.entries(row).map(([kind, expected]) => [stateName, kind as Kind, expected] as const),
);

describe('message state machine (SPEC 2.3)', () => {
  it('covers every state × event pair', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(STATES).sort());
    expect(CASES).toHaveLength(Object.keys(STATES).length * 6);
  });

  it.each(CASES)('%s + %s → %j', (stateName, kind, [result, status, reports]) => {
    const before = STATES[stateName]?.() ?? null;
    const e = event(kind, 6000);
    const transition = applyEvent(before, e, NOW);
    expect(transition.result).toBe(result);
    if (transition.result === 'PARKED') return;
    expect(transition.state.status).toBe(status);
    if (transition.result === 'APPLIED' || transition.result === 'IGNORED') {
      expect(transition.reportsFailure).toBe(reports ?? false);
      const last = transition.state.sendLog.at(-1);
      expect(last).toMatchObject({ key: e.key, kind, result, statusAfter: status });
      expect(transition.state.sendLog).toHaveLength((before?.sendLog.length ?? 0) + 1);
    }
    if (transition.result === 'IGNORED') {
      // Ignored: the send log grows, nothing else changes.
      const { sendLog: _after, ...rest } = transition.state;
      const { sendLog: _before, ...restBefore } = before as MessageState;
      expect(rest).toEqual(restBefore);
      expect(transition.reason).not.toBe('');
    }
    if (transition.result === 'NOT_APPLICABLE' || transition.result === 'DUPLICATE') {
      expect(transition.state).toBe(before);
    }
  });

  it.each(Object.keys(STATES).filter((name) => name !== 'unknown'))(
    '%s: every event already in the send log is a DUPLICATE and changes nothing',
    (stateName) => {
      const state = STATES[stateName]?.() as MessageState;
      for (const entry of state.sendLog) {
        const replay = { ...event(entry.kind, 0), key: entry.key };
        const transition = applyEvent(state, replay, NOW);
        expect(transition).toEqual({ result: 'DUPLICATE', state });
      }
    },
  );

  it('creates the message from ACCEPTED with request time = occurred_at', () => {
    const state = stateAfter(event('ACCEPTED', 0));
    expect(state).toMatchObject({
      messageId: 'm1',
      accountId: 'a1',
      status: 'SENDING',
      requestTime: at(0),
      entries: 2,
      labels: ['x'],
      channelSendTime: null,
      receiptTime: null,
    });
  });

  it('records channel, operator and channel send time on SUBMITTED, receipt time on receipts', () => {
    const state = stateAfter(event('ACCEPTED', 0), event('SUBMITTED', 1), event('SEND_FAILED', 2));
    expect(state).toMatchObject({
      channel: 'ch',
      operator: 'op',
      channelSendTime: at(1),
      receiptTime: at(2),
      sendFailureCode: 510,
      reasonDetail: 'UNDELIV',
      updateTime: NOW,
    });
  });

  it('fills only the channel send time when SUBMITTED comes after the receipt', () => {
    const before = STATES['DELIVERED before SUBMITTED']?.() as MessageState;
    const transition = applyEvent(before, event('SUBMITTED', 1), NOW);
    expect(transition.result).toBe('APPLIED');
    if (transition.result !== 'APPLIED') return;
    expect(transition.state).toMatchObject({
      status: 'DELIVERED',
      channelSendTime: at(1),
      receiptTime: at(2),
      channel: 'ch',
    });
  });

  it('first final receipt wins whatever order the conflicting ones arrive in', () => {
    const delivered = stateAfter(event('ACCEPTED', 0), event('DELIVERED', 5));
    // An earlier-dated failure arriving later still loses: arrival decides, not occurred_at.
    const late = applyEvent(delivered, event('SEND_FAILED', 3), NOW);
    expect(late.result).toBe('IGNORED');
    if (late.result === 'IGNORED') expect(late.state.status).toBe('DELIVERED');
  });

  it('marks the timeout outcome synthetic (590, "no delivery receipt") and a real receipt clears it', () => {
    const timedOut = STATES['SEND_FAILED by timeout']?.() as MessageState;
    expect(timedOut).toMatchObject({
      status: 'SEND_FAILED',
      sendFailureCode: 590,
      reasonDetail: 'no delivery receipt',
      syntheticOutcome: true,
    });
    const real = applyEvent(timedOut, event('SEND_FAILED', 6000, { code: 500 }), NOW);
    expect(real.result).toBe('APPLIED');
    if (real.result !== 'APPLIED') return;
    expect(real.state).toMatchObject({ sendFailureCode: 500, syntheticOutcome: false });
    expect(real.reportsFailure).toBe(true);
    // Once real, final is final again.
    expect(applyEvent(real.state, event('DELIVERED', 6001), NOW).result).toBe('IGNORED');
  });

  it('builds the idempotency key from event_id, else from kind, code and occurred_at', () => {
    const time = new Date(1_700_000_000_123);
    expect(idempotencyKey('e-1', 'DELIVERED', '', time)).toBe('id:e-1');
    expect(idempotencyKey('', 'SEND_FAILED', 500, time)).toBe('SEND_FAILED:500:1700000000123');
    expect(idempotencyKey('', 'SEND_FAILED', 510, time)).not.toBe(
      idempotencyKey('', 'SEND_FAILED', 500, time),
    );
  });
});

describe('columns an event can change (updates write only MESSAGE_CHANGING_COLUMNS)', () => {
  const paths: Kind[][] = [
    ['PROCESS_FAILED'],
    ['SUBMITTED', 'DELIVERED'],
    ['SUBMITTED', 'SEND_FAILED'],
    ['SUBMITTED', 'RECEIPT_TIMEOUT', 'DELIVERED'],
    ['ACCEPTED'],
  ];
  it.each(paths)('after ACCEPTED, %s leaves every other column as created', (...kinds) => {
    const created = stateAfter(event('ACCEPTED', 0));
    let state = created;
    kinds.forEach((kind, i) => {
      const transition = applyEvent(state, event(kind, i + 1), NOW);
      if (transition.result === 'APPLIED' || transition.result === 'IGNORED')
        state = transition.state;
    });
    const before = toRow(created);
    const after = toRow(state);
    const changing: readonly string[] = MESSAGE_CHANGING_COLUMNS;
    for (const column of MESSAGE_COLUMNS.filter((c) => !changing.includes(c)))
      expect([column, after[column]]).toEqual([column, before[column]]);
    expect(after.send_log?.length).toBeGreaterThan(before.send_log?.length ?? 0);
  });
});
