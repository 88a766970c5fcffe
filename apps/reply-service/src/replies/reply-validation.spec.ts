import { toTimestamp, type replyV1 } from '@sms/contracts';
import { validateInboundReply, type ReplyValidationLimits } from './reply-validation';

const now = new Date('2026-11-29T12:00:00.000Z');
const limits: ReplyValidationLimits = {
  now,
  oldestReceivedAt: new Date('2026-10-30T12:00:00.000Z'),
  latestReceivedAt: new Date('2026-11-29T12:05:00.000Z'),
};

function reply(overrides: Partial<replyV1.InboundReply> = {}): replyV1.InboundReply {
  return {
    replyId: 'r-1',
    phone: '+44 7911 123456',
    content: 'STOP',
    receivedAt: toTimestamp(new Date('2026-11-29T11:00:00.000Z')),
    operator: 'vodafone',
    channel: 'ch-1',
    accountId: '',
    messageId: '',
    ...overrides,
  };
}

describe('validateInboundReply', () => {
  it('accepts a reply and normalises it', () => {
    const result = validateInboundReply(reply({ accountId: ' acc-1 ' }), 3, limits);
    expect(result).toEqual({
      ok: true,
      reply: {
        index: 3,
        replyId: 'r-1',
        phone: '+447911123456',
        content: 'STOP',
        receivedAt: new Date('2026-11-29T11:00:00.000Z'),
        operator: 'vodafone',
        channel: 'ch-1',
        channelAccountId: 'acc-1',
        channelMessageId: undefined,
      },
    });
  });

  it.each([
    [{ replyId: '' }, /reply_id is required/],
    [{ replyId: '   ' }, /reply_id is required/],
    [{ replyId: 'x'.repeat(129) }, /reply_id is longer than 128/],
    [{ phone: 'not-a-phone' }, /phone "not-a-phone" may contain only digits/],
    [{ phone: '+4412' }, /phone "\+4412"/],
    [{ phone: '' }, /phone "" is empty/],
    [{ content: '' }, /content is empty/],
    [{ content: ' \n ' }, /content is empty/],
    [{ content: 'x'.repeat(4097) }, /content is longer/],
    [{ receivedAt: undefined }, /received_at is required/],
    [{ receivedAt: toTimestamp(new Date('2026-11-29T12:06:00.000Z')) }, /in the future/],
    [{ receivedAt: toTimestamp(new Date('2026-10-29T12:00:00.000Z')) }, /older than the retention/],
    [{ accountId: 'a'.repeat(129) }, /account_id is longer/],
  ])('refuses %p', (overrides, reason) => {
    const result = validateInboundReply(reply(overrides), 0, limits);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});
