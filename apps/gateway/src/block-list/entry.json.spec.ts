import { interceptionV1, toTimestamp } from '@sms/contracts';
import { toCheckJson, toEntryJson } from './entry.json';

const entry: interceptionV1.Entry = {
  entryId: 'e-1',
  phone: '+8613800138000',
  scope: interceptionV1.Scope.SCOPE_GLOBAL,
  ownerAccountId: 'acc_b',
  source: interceptionV1.EntrySource.ENTRY_SOURCE_SEND_FAILURE,
  sendFailureCode: 'SEND_FAILURE_CODE_BREAK_DOWN' as interceptionV1.Entry['sendFailureCode'],
  reason: 'device failure',
  detail: 'channel said so',
  messageId: 'm-b',
  interceptedAt: toTimestamp(new Date('2026-11-29T10:00:00Z')),
  expiresAt: undefined,
  state: interceptionV1.EntryState.ENTRY_STATE_DELETED,
  deletedBy: 'key_b',
  deletedAt: toTimestamp(new Date('2026-11-29T11:00:00Z')),
  createdAt: undefined,
  updatedAt: undefined,
};

describe('entry JSON', () => {
  it('hides everything identifying another customer from a customer', () => {
    const json = toEntryJson(entry, 'acc_a');
    expect(json).toMatchObject({
      ownedByYou: false,
      ownerAccountId: null,
      messageId: null,
      reasonDetail: null,
      deletedBy: null,
      reasonCode: 'break_down',
      reasonText: 'device failure',
      sendFailureCode: 560,
      state: 'deleted',
      expiresAt: null,
    });
    expect(JSON.stringify(json)).not.toMatch(/acc_b|m-b|key_b|channel said so/);
  });

  it('shows the owner and operators everything', () => {
    expect(toEntryJson(entry, 'acc_b')).toMatchObject({
      ownedByYou: true,
      ownerAccountId: 'acc_b',
      messageId: 'm-b',
      deletedBy: 'key_b',
    });
    expect(toEntryJson(entry, null)).toMatchObject({
      ownedByYou: false,
      ownerAccountId: 'acc_b',
      messageId: 'm-b',
    });
  });

  it('redacts the blocking entry of a check the same way', () => {
    const check = toCheckJson(
      {
        phone: entry.phone,
        verdict: interceptionV1.Verdict.VERDICT_GLOBAL_BLOCK,
        entry,
        unsubscribe: undefined,
      },
      'acc_a',
    );
    expect(check).toMatchObject({
      verdict: 'global_block',
      entry: { ownerAccountId: null },
      unsubscribe: null,
    });
  });
});
