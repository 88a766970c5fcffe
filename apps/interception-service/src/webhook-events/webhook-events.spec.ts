import type { BlockEntry } from '../block-list/block-entry.entity';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import { entryCreatedEvent, unsubscribeChangedEvent } from './webhook-events';

const at = new Date('2026-12-05T12:00:00.000Z');
const entry: BlockEntry = {
  id: '5f0c7d0e-0000-4000-8000-000000000001',
  phone: '+447911123457',
  scope: 'GLOBAL',
  ownerAccountId: 'acc_1',
  source: 'SEND_FAILURE',
  sendFailureCode: 500,
  reason: 'number does not exist',
  detail: 'no such subscriber',
  messageId: 'm-2',
  interceptedAt: at,
  expiresAt: new Date('2027-01-04T12:00:00.000Z'),
  state: 'ACTIVE',
  version: 1,
  revision: '7',
  createdBy: 'acc_1',
  deletedBy: null,
  deletedAt: null,
  createdAt: at,
  updatedAt: at,
};
const unsubscribe: UnsubscribeRecord = {
  accountId: 'acc_1',
  phone: '+447911123456',
  state: 'ACTIVE',
  since: at,
  source: 'REPLY',
  replyId: 'r-1',
  changedAt: at,
  revision: '8',
  createdAt: at,
  updatedAt: at,
};

describe('interception-service webhook events', () => {
  it('tells the owner of a new entry, with the entry as the owner reads it', () => {
    expect(entryCreatedEvent(entry)).toEqual({
      eventId: `blkent_${entry.id}`,
      type: 'block_list.entry_created',
      accountId: 'acc_1',
      occurredAt: at,
      data: {
        entryId: entry.id,
        phone: '+447911123457',
        scope: 'global',
        ownedByYou: true,
        ownerAccountId: 'acc_1',
        source: 'send_failure',
        reasonCode: 'empty',
        reasonText: 'number does not exist',
        sendFailureCode: 500,
        reasonDetail: 'no such subscriber',
        messageId: 'm-2',
        interceptedAt: '2026-12-05T12:00:00.000Z',
        expiresAt: '2027-01-04T12:00:00.000Z',
        state: 'active',
        deletedBy: null,
        deletedAt: null,
        createdAt: '2026-12-05T12:00:00.000Z',
        updatedAt: '2026-12-05T12:00:00.000Z',
      },
    });
  });

  it('tells nobody about an entry without an owner', () => {
    expect(entryCreatedEvent({ ...entry, ownerAccountId: null, source: 'MANUAL' })).toBe(null);
  });

  it('makes one id per unsubscribe change (its revision)', () => {
    const event = unsubscribeChangedEvent(unsubscribe);
    expect(event).toMatchObject({
      eventId: expect.stringMatching(/^unsub_[A-Za-z0-9_-]{32}$/),
      type: 'unsubscribe.changed',
      accountId: 'acc_1',
      data: {
        phone: '+447911123456',
        since: '2026-12-05T12:00:00.000Z',
        source: 'reply',
        replyId: 'r-1',
        unsubscribed: true,
        changedAt: '2026-12-05T12:00:00.000Z',
      },
    });
    expect(unsubscribeChangedEvent({ ...unsubscribe }).eventId).toBe(event.eventId);
    const removed = unsubscribeChangedEvent({ ...unsubscribe, state: 'REMOVED', revision: '9' });
    expect(removed.eventId).not.toBe(event.eventId);
    expect(removed.data['unsubscribed']).toBe(false);
  });
});
