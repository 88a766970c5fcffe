import { toTimestamp } from '@sms/contracts';
import { parseEvent, type WireEvent } from './message-event-parser';

const NOW = new Date('2026-11-29T12:00:00Z');
const context = {
  oldestRequestTime: new Date(NOW.getTime() - 30 * 86_400_000),
  newestRequestTime: new Date(NOW.getTime() + 300_000),
};
const accepted = (
  over: Record<string, unknown> = {},
  wire: Partial<WireEvent> = {},
): WireEvent => ({
  eventId: '',
  messageId: 'm1',
  occurredAt: toTimestamp(NOW),
  event: 'accepted',
  accepted: {
    accountId: 'a1',
    smsUser: 'u1',
    recipient: '+44 7911 123456',
    entries: 1,
    templateId: 't1',
    templateType: 'TEMPLATE_TYPE_MARKETING' as never,
    labels: [' vip ', 'vip'],
    ...over,
  },
  ...wire,
});

describe('parseEvent', () => {
  it('normalises the recipient and labels and derives the idempotency key', () => {
    const parsed = parseEvent(accepted(), context);
    expect(parsed).toEqual({
      ok: true,
      event: expect.objectContaining({
        kind: 'ACCEPTED',
        key: `ACCEPTED::${NOW.getTime()}`,
        accepted: expect.objectContaining({ recipient: '+447911123456', labels: ['vip'] }),
      }),
    });
    expect(parseEvent(accepted({}, { eventId: 'e9' }), context)).toMatchObject({
      event: { key: 'id:e9' },
    });
  });

  it('reads a send-failure code by its proto name into the numeric code', () => {
    const parsed = parseEvent(
      {
        eventId: '',
        messageId: 'm1',
        occurredAt: toTimestamp(NOW),
        sendFailed: { code: 'SEND_FAILURE_CODE_BLACKLIST' as never, detail: 'x', operator: '' },
      },
      context,
    );
    expect(parsed).toMatchObject({ ok: true, event: { kind: 'SEND_FAILED', code: 520 } });
  });

  it.each<[string, WireEvent, RegExp]>([
    ['bad phone', accepted({ recipient: 'abc' }), /recipient "abc" may contain only digits/],
    ['zero entries', accepted({ entries: 0 }), /entries must be 1..255/],
    ['a wrapped uint32 of entries', accepted({ entries: 4294967295 }), /entries must be 1..255/],
    [
      'a receipt time before 2000',
      {
        eventId: '',
        messageId: 'm',
        occurredAt: toTimestamp(new Date('1999-12-31T00:00:00Z')),
        delivered: { detail: '', operator: '' },
      },
      /not a plausible time/,
    ],
    [
      'a receipt time days ahead',
      {
        eventId: '',
        messageId: 'm',
        occurredAt: toTimestamp(new Date(NOW.getTime() + 3 * 86_400_000)),
        delivered: { detail: '', operator: '' },
      },
      /not a plausible time/,
    ],
    ['unknown template type', accepted({ templateType: 9 }), /template_type 9/],
    ['empty account', accepted({ accountId: '' }), /accepted.account_id is required/],
    ['empty template id', accepted({ templateId: ' ' }), /template_id is required/],
    ['empty sms user', accepted({ smsUser: '' }), /sms_user is required/],
    [
      'too many labels',
      accepted({ labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }),
      /more than 20 labels/,
    ],
    ['empty label', accepted({ labels: [''] }), /labels must be 1..64/],
    ['empty message id', accepted({}, { messageId: '' }), /message_id is required/],
    ['message id with spaces', accepted({}, { messageId: 'a b' }), /must not contain spaces/],
    ['no time', accepted({}, { occurredAt: undefined }), /occurred_at is required/],
    [
      'too old',
      accepted({}, { occurredAt: toTimestamp(new Date(NOW.getTime() - 31 * 86_400_000)) }),
      /before the retention window/,
    ],
    [
      'future',
      accepted({}, { occurredAt: toTimestamp(new Date(NOW.getTime() + 3_600_000)) }),
      /in the future/,
    ],
    ['no kind', { eventId: '', messageId: 'm', occurredAt: toTimestamp(NOW) }, /no kind/],
  ])('refuses %s', (_name, wire, reason) => {
    const parsed = parseEvent(wire, context);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
