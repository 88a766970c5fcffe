import { CodeCatalogue } from '@sms/domain-catalogue';
import type { WebhookOutboxEvent } from '@sms/platform-outbox';
import { createHash } from 'node:crypto';
import type { BlockEntry } from '../block-list/block-entry.entity';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';

export const BLOCK_LIST_ENTRY_CREATED = 'block_list.entry_created';
export const UNSUBSCRIBE_CHANGED = 'unsubscribe.changed';

// Only the code names are read: the durations configured elsewhere do not matter here.
const codes = new CodeCatalogue();

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/**
 * The `block_list.entry_created` event of a new entry, for its owner account only; null for an
 * entry without an owner (an operator's GLOBAL entry: no customer's endpoint is told, see
 * docs/webhook-delivery.md). `data` is the gateway's BlockListEntry resource as the owner reads it
 * (GET /v1/block-list/{entryId}); the id is the entry's, so a retried write makes no second event.
 */
export function entryCreatedEvent(entry: BlockEntry): WebhookOutboxEvent | null {
  if (!entry.ownerAccountId) return null;
  const code =
    entry.sendFailureCode !== null && codes.isKnownCode(entry.sendFailureCode)
      ? entry.sendFailureCode
      : null;
  return {
    eventId: `blkent_${entry.id}`,
    type: BLOCK_LIST_ENTRY_CREATED,
    accountId: entry.ownerAccountId,
    occurredAt: entry.createdAt,
    data: {
      entryId: entry.id,
      phone: entry.phone,
      scope: entry.scope.toLowerCase(),
      ownedByYou: true,
      ownerAccountId: entry.ownerAccountId,
      source: entry.source.toLowerCase(),
      reasonCode: code === null ? null : codes.ruleFor(code).name.toLowerCase(),
      reasonText: entry.reason || null,
      sendFailureCode: code,
      reasonDetail: entry.detail || null,
      messageId: entry.messageId || null,
      interceptedAt: iso(entry.interceptedAt),
      expiresAt: iso(entry.expiresAt),
      state: entry.state.toLowerCase(),
      deletedBy: entry.deletedBy || null,
      deletedAt: iso(entry.deletedAt),
      createdAt: iso(entry.createdAt),
      updatedAt: iso(entry.updatedAt),
    },
  };
}

/**
 * The `unsubscribe.changed` event of an unsubscribe or resubscribe that changed the account's
 * list. `data` is the gateway's Unsubscribe resource (GET /v1/unsubscribes) plus `unsubscribed`
 * (false: the number resubscribed) and `changedAt` (when the recipient asked). The id comes from
 * the row's revision, which every change bumps: one event per change, the same one on a retry.
 */
export function unsubscribeChangedEvent(record: UnsubscribeRecord): WebhookOutboxEvent {
  const digest = createHash('sha256')
    .update(`${record.accountId}\n${record.phone}\n${record.revision}`)
    .digest('base64url')
    .slice(0, 32);
  return {
    eventId: `unsub_${digest}`,
    type: UNSUBSCRIBE_CHANGED,
    accountId: record.accountId,
    occurredAt: record.changedAt,
    data: {
      phone: record.phone,
      since: iso(record.since),
      source: record.source.toLowerCase(),
      replyId: record.replyId || null,
      unsubscribed: record.state === 'ACTIVE',
      changedAt: iso(record.changedAt),
    },
  };
}
