import type { StoredReply } from '../replies/replies.repository';
import { replyReceivedEvent } from './reply-received-event';

const reply: StoredReply = {
  replyId: 'r-1',
  receivedAt: new Date('2026-12-05T11:59:58.000Z'),
  phone: '+447911123456',
  content: 'STOP',
  operator: '',
  channel: 'channel-1',
  accountId: 'acc_1',
  messageId: 'm-1',
  templateId: '',
  labels: ['spring'],
  smsUser: null,
  attribution: 'MESSAGE_ID',
  keywordAction: 'UNSUBSCRIBE',
  channelAccountId: 'acc_1',
  channelMessageId: 'm-1',
};

describe('reply.received event', () => {
  it('carries the Reply resource as the gateway returns it, under a stable id', () => {
    const event = replyReceivedEvent(reply);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^reply_[A-Za-z0-9_-]{32}$/),
      type: 'reply.received',
      accountId: 'acc_1',
      occurredAt: reply.receivedAt,
      data: {
        replyId: 'r-1',
        phone: '+447911123456',
        content: 'STOP',
        receivedAt: '2026-12-05T11:59:58.000Z',
        operator: null,
        channel: 'channel-1',
        accountId: 'acc_1',
        messageId: 'm-1',
        templateId: null,
        labels: ['spring'],
        smsUser: null,
        attribution: 'message_id',
        keywordAction: 'unsubscribe',
      },
    });
    expect(replyReceivedEvent({ ...reply, content: 'other' })?.eventId).toBe(event?.eventId);
    expect(replyReceivedEvent({ ...reply, replyId: 'r-2' })?.eventId).not.toBe(event?.eventId);
  });

  it('is not made for a reply without an account or still waiting for one', () => {
    expect(replyReceivedEvent({ ...reply, accountId: null, attribution: 'UNATTRIBUTED' })).toBe(
      null,
    );
    expect(replyReceivedEvent({ ...reply, attribution: 'PENDING' })).toBe(null);
  });
});
