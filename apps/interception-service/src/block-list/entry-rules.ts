// Pure rules of the block list (SPEC 3.1): what a failure records, how renewal moves the
// expiry, and what a customer may see or do with an entry.
import type { InterceptionRule } from '@sms/domain-catalogue';
import type { BlockEntry, EntryScope } from './block-entry.entity';

export type FailurePlan =
  | { readonly kind: 'block'; readonly scope: EntryScope; readonly expiresAt: Date }
  /** A 0-second code, or a failure reported so late that its interception is already over. */
  | { readonly kind: 'record-expired'; readonly scope: EntryScope; readonly expiresAt: Date };

export function planFailure(rule: InterceptionRule, occurredAt: Date, now: Date): FailurePlan {
  const expiresAt = new Date(occurredAt.getTime() + rule.durationSeconds * 1000);
  if (!rule.blocks || expiresAt.getTime() <= now.getTime()) {
    return { kind: 'record-expired', scope: rule.scope, expiresAt };
  }
  return { kind: 'block', scope: rule.scope, expiresAt };
}

/**
 * The expiry after a renewal: the later of the two, and never shorter. An entry without expiry
 * (manual, until deleted) stays without. The repository's SQL implements the same rule.
 */
export function renewedExpiry(current: Date | null, proposed: Date): Date | null {
  if (current === null) return null;
  return current.getTime() >= proposed.getTime() ? current : proposed;
}

export interface Viewer {
  readonly accountId: string;
  readonly asOperator: boolean;
}

/**
 * owner: may read and delete. visible: a GLOBAL entry of someone else (it blocks this customer
 * too, so its existence is no secret), may read a redacted copy but not delete. hidden: another
 * account's LOCAL entry; answered as if it did not exist.
 */
export type EntryAccess = 'owner' | 'visible' | 'hidden';

export function accessOf(
  entry: Pick<BlockEntry, 'scope' | 'ownerAccountId'>,
  viewer: Viewer,
): EntryAccess {
  if (viewer.asOperator) return 'owner';
  if (entry.ownerAccountId !== null && entry.ownerAccountId === viewer.accountId) return 'owner';
  return entry.scope === 'GLOBAL' ? 'visible' : 'hidden';
}
