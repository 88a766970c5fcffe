import { applyEvent, type MessageState, type StatusEvent } from '../messages/message-state-machine';
import { statusChangeEvent } from './status-change-event';

const T0 = new Date('2026-11-20T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const RECORDED = at(100);

const accepted: StatusEvent = {
  messageId: 'm1',
  key: 'id:e1',
  occurredAt: at(0),
  kind: 'ACCEPTED',
  accepted: {
    accountId: 'a1',
    smsUser: 'api-user',
    recipient: '+447911123456',
    entries: 2,
    templateId: 't1',
    templateType: 'NOTIFICATION',
    labels: ['spring'],
  },
};
const submitted: StatusEvent = {
  messageId: 'm1',
  key: 'id:e2',
  occurredAt: at(1),
  kind: 'SUBMITTED',
  channel: 'channel-1',
  operator: 'vodafone-uk',
};
const sendFailed: StatusEvent = {
  messageId: 'm1',
  key: 'id:e3',
  occurredAt: at(5),
  kind: 'SEND_FAILED',
  code: 500,
  detail: 'no such subscriber',
  operator: '',
};

function apply(state: MessageState | null, event: StatusEvent): MessageState {
  const transition = applyEvent(state, event, RECORDED);
  if (transition.result !== 'APPLIED') throw new Error(`${event.kind} was ${transition.result}`);
  return transition.state;
}

describe('statusChangeEvent', () => {
  it("carries the gateway's Message resource plus previousStatus, sequence and occurredAt", () => {
    const first = apply(null, accepted);
    const second = apply(first, submitted);
    const third = apply(second, sendFailed);
    const event = statusChangeEvent(second, third, sendFailed);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^msgst_/),
      type: 'message.status',
      accountId: 'a1',
      occurredAt: at(5),
      data: {
        messageId: 'm1',
        accountId: 'a1',
        smsUser: 'api-user',
        recipient: '+447911123456',
        entries: 2,
        templateId: 't1',
        templateType: 'notification',
        labels: ['spring'],
        channel: 'channel-1',
        operator: 'vodafone-uk',
        status: 'send_failed',
        reasonCode: 'empty',
        reasonText: 'number does not exist',
        sendFailureCode: 500,
        reasonDetail: 'no such subscriber',
        requestTime: at(0).toISOString(),
        channelSendTime: at(1).toISOString(),
        receiptTime: at(5).toISOString(),
        updateTime: RECORDED.toISOString(),
        previousStatus: 'wait_result',
        sequence: 3,
        occurredAt: at(5).toISOString(),
      },
    });
  });

  it('gives null for absent text and no previous status on acceptance', () => {
    const first = apply(null, {
      ...accepted,
      accepted: { ...accepted.accepted, smsUser: '' },
    });
    const data = statusChangeEvent(null, first, accepted)?.data;
    expect(data).toMatchObject({
      smsUser: null,
      channel: null,
      operator: null,
      status: 'sending',
      previousStatus: null,
      reasonCode: null,
      reasonText: null,
      sendFailureCode: null,
      reasonDetail: null,
      sequence: 1,
    });
  });

  it('derives the id from the message and the event key, and skips a change of nothing', () => {
    const first = apply(null, accepted);
    const id = statusChangeEvent(null, first, accepted)?.eventId;
    expect(statusChangeEvent(null, apply(null, accepted), accepted)?.eventId).toBe(id);
    expect(statusChangeEvent(null, first, { ...accepted, key: 'id:other' })?.eventId).not.toBe(id);
    expect(statusChangeEvent(first, first, submitted)).toBeNull();
  });
});
