import type { BlockEntry } from '../block-list/block-entry.entity';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import {
  decodeEntry,
  decodeUnsubscribe,
  encodeEntry,
  encodeUnsubscribe,
  entryBlocksUntil,
  entryField,
  revisionOf,
  unsubscribeActive,
} from './index-codec';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');

const entry = (overrides: Partial<BlockEntry> = {}): BlockEntry => ({
  id: '5b0c7c3e-2f4a-4a53-9d55-1f6b0e0a0001',
  phone: '+447700900123',
  scope: 'LOCAL',
  ownerAccountId: 'acc-1',
  source: 'SEND_FAILURE',
  sendFailureCode: 520,
  reason: 'on a channel or operator blacklist',
  detail: 'carrier said no',
  messageId: 'msg-1',
  interceptedAt: new Date(NOW - 1000),
  expiresAt: new Date(NOW + 3_600_000),
  state: 'ACTIVE',
  version: 2,
  revision: '41',
  createdBy: 'acc-1',
  deletedBy: null,
  deletedAt: null,
  createdAt: new Date(NOW - 1000),
  updatedAt: new Date(NOW - 500),
  ...overrides,
});

describe('index codec', () => {
  it('names fields by scope and account', () => {
    expect(entryField('GLOBAL', 'acc-1')).toBe('g');
    expect(entryField('LOCAL', 'acc-1')).toBe('l:acc-1');
  });

  it('round-trips an active entry with its exact expiry and revision first', () => {
    const raw = encodeEntry(entry(), NOW);
    expect(raw.startsWith('{"r":41,')).toBe(true);
    expect(revisionOf(raw)).toBe(41);
    expect(decodeEntry(raw, '+447700900123', 'LOCAL')).toEqual({
      entryId: '5b0c7c3e-2f4a-4a53-9d55-1f6b0e0a0001',
      phone: '+447700900123',
      scope: 'LOCAL',
      ownerAccountId: 'acc-1',
      source: 'SEND_FAILURE',
      sendFailureCode: 520,
      reason: 'on a channel or operator blacklist',
      detail: 'carrier said no',
      messageId: 'msg-1',
      interceptedAtMs: NOW - 1000,
      expiresAtMs: NOW + 3_600_000,
      createdAtMs: NOW - 1000,
      updatedAtMs: NOW - 500,
    });
  });

  it('keeps manual entries without expiry', () => {
    const raw = encodeEntry(
      entry({ source: 'MANUAL', expiresAt: null, sendFailureCode: null }),
      NOW,
    );
    expect(decodeEntry(raw, 'p', 'LOCAL')).toMatchObject({ source: 'MANUAL', expiresAtMs: null });
  });

  it('writes tombstones for entries that no longer block', () => {
    for (const gone of [
      entry({ state: 'EXPIRED' }),
      entry({ state: 'DELETED' }),
      entry({ expiresAt: new Date(NOW) }),
    ]) {
      const raw = encodeEntry(gone, NOW);
      expect(raw).toBe('{"r":41,"x":"5b0c7c3e-2f4a-4a53-9d55-1f6b0e0a0001"}');
      expect(decodeEntry(raw, 'p', 'LOCAL')).toBeNull();
    }
    expect(decodeEntry(null, 'p', 'GLOBAL')).toBeNull();
  });

  it('round-trips unsubscribes and tombstones removed ones', () => {
    const record: UnsubscribeRecord = {
      accountId: 'acc-1',
      phone: '+447700900123',
      state: 'ACTIVE',
      since: new Date(NOW),
      source: 'REPLY',
      replyId: 'reply-9',
      changedAt: new Date(NOW),
      revision: '7',
      createdAt: new Date(NOW),
      updatedAt: new Date(NOW),
    };
    expect(decodeUnsubscribe(encodeUnsubscribe(record), record.phone, 'acc-1')).toEqual({
      accountId: 'acc-1',
      phone: '+447700900123',
      sinceMs: NOW,
      source: 'REPLY',
      replyId: 'reply-9',
    });
    const removed = encodeUnsubscribe({ ...record, state: 'REMOVED', revision: '8' });
    expect(removed).toBe('{"r":8}');
    expect(decodeUnsubscribe(removed, record.phone, 'acc-1')).toBeNull();
  });

  it('reads until when an entry blocks from the text as decoding would', () => {
    const values = [
      encodeEntry(entry(), NOW),
      encodeEntry(entry({ expiresAt: null, source: 'MANUAL', sendFailureCode: null }), NOW),
      // Text that looks like the keys inside the strings must not be taken for them.
      encodeEntry(entry({ reason: 'x,"e":1,"i":"y"', detail: '{"r":1,"x":"z"}' }), NOW),
      encodeEntry(entry({ state: 'DELETED' }), NOW),
      encodeEntry(entry({ expiresAt: new Date(NOW) }), NOW),
      null,
    ];
    for (const raw of values) {
      const decoded = decodeEntry(raw, 'p', 'LOCAL');
      expect(entryBlocksUntil(raw)).toBe(
        decoded === null ? null : (decoded.expiresAtMs ?? Number.POSITIVE_INFINITY),
      );
    }
    expect(entryBlocksUntil(values[0])).toBe(NOW + 3_600_000);
    expect(entryBlocksUntil(values[1])).toBe(Number.POSITIVE_INFINITY);
  });

  it('tells an active unsubscribe from a tombstone without decoding', () => {
    const record: UnsubscribeRecord = {
      accountId: 'acc-1',
      phone: '+447700900123',
      state: 'ACTIVE',
      since: new Date(NOW),
      source: 'API',
      replyId: null,
      changedAt: new Date(NOW),
      revision: '7',
      createdAt: new Date(NOW),
      updatedAt: new Date(NOW),
    };
    expect(unsubscribeActive(encodeUnsubscribe(record))).toBe(true);
    expect(unsubscribeActive(encodeUnsubscribe({ ...record, state: 'REMOVED' }))).toBe(false);
    expect(unsubscribeActive(null)).toBe(false);
  });
});
