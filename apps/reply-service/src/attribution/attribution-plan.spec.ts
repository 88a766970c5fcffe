import {
  latestLookupFor,
  pendingAttribution,
  resolveAttribution,
  type AnsweredMessage,
  type AttributionCandidate,
} from './attribution-plan';

const phone = '+447911123456';
const receivedAt = new Date('2026-11-29T12:00:00.000Z');

function candidate(overrides: Partial<AttributionCandidate> = {}): AttributionCandidate {
  return {
    phone,
    receivedAt,
    channelAccountId: undefined,
    channelMessageId: undefined,
    ...overrides,
  };
}

function message(overrides: Partial<AnsweredMessage> = {}): AnsweredMessage {
  return {
    messageId: 'm-1',
    accountId: 'acc-1',
    recipient: phone,
    templateId: 'tpl-1',
    labels: ['promo'],
    smsUser: 'alice',
    ...overrides,
  };
}

describe('attribution rules', () => {
  it('uses the named message when it went to this phone', () => {
    const named = candidate({ channelAccountId: 'acc-1', channelMessageId: 'm-1' });
    expect(latestLookupFor(named, message())).toBeUndefined();
    expect(resolveAttribution(named, message(), null)).toEqual({
      kind: 'MESSAGE_ID',
      accountId: 'acc-1',
      messageId: 'm-1',
      templateId: 'tpl-1',
      labels: ['promo'],
      smsUser: 'alice',
    });
  });

  it('falls back to the account latest when the named message is missing or went elsewhere', () => {
    const named = candidate({ channelAccountId: 'acc-1', channelMessageId: 'm-x' });
    expect(latestLookupFor(named, null)).toEqual({
      phone,
      accountId: 'acc-1',
      at: receivedAt,
      messageId: '',
    });
    expect(latestLookupFor(named, message({ recipient: '+33612345678' }))).toBeDefined();
    expect(resolveAttribution(named, null, message({ messageId: 'm-2' }))).toMatchObject({
      kind: 'ACCOUNT_LATEST',
      messageId: 'm-2',
    });
  });

  it('restricts to the named account and keeps it when nothing matches', () => {
    const named = candidate({ channelAccountId: 'acc-1' });
    expect(latestLookupFor(named, undefined)).toEqual({
      phone,
      accountId: 'acc-1',
      at: receivedAt,
      messageId: '',
    });
    expect(resolveAttribution(named, undefined, null)).toEqual({
      kind: 'UNATTRIBUTED',
      accountId: 'acc-1',
      messageId: null,
      templateId: null,
      labels: [],
      smsUser: null,
    });
    // A message of another account is never used for a named account.
    expect(resolveAttribution(named, undefined, message({ accountId: 'acc-2' }))).toMatchObject({
      kind: 'UNATTRIBUTED',
      accountId: 'acc-1',
    });
  });

  it('looks a message id without account up by id: that message if it went to the phone', () => {
    const named = candidate({ channelMessageId: 'm-1' });
    expect(latestLookupFor(named, undefined)).toEqual({
      phone,
      accountId: '',
      at: receivedAt,
      messageId: 'm-1',
    });
    expect(resolveAttribution(named, undefined, message())).toMatchObject({
      kind: 'MESSAGE_ID',
      accountId: 'acc-1',
    });
    expect(resolveAttribution(named, undefined, message({ messageId: 'm-2' }))).toMatchObject({
      kind: 'UNATTRIBUTED',
      accountId: null,
    });
  });

  it('takes the latest message of any account, or leaves the reply unattributed', () => {
    expect(
      resolveAttribution(candidate(), undefined, message({ accountId: 'acc-9' })),
    ).toMatchObject({ kind: 'LATEST_MESSAGE', accountId: 'acc-9', templateId: 'tpl-1' });
    expect(resolveAttribution(candidate(), undefined, null)).toMatchObject({
      kind: 'UNATTRIBUTED',
      accountId: null,
    });
  });

  it('keeps the named account while attribution is pending', () => {
    expect(pendingAttribution(candidate({ channelAccountId: 'acc-1' }))).toMatchObject({
      kind: 'PENDING',
      accountId: 'acc-1',
    });
    expect(pendingAttribution(candidate())).toMatchObject({ kind: 'PENDING', accountId: null });
  });
});
