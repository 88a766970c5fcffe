import type { EntryScope, EntrySourceName } from '../block-list/block-entry.entity';
import type { UnsubscribeSourceName } from '../unsubscribes/unsubscribe.entity';
import type { VerdictName } from './verdict';

/** The blocking entry as a check returns it: times in epoch ms, straight from the hot index. */
export interface CheckedEntry {
  readonly entryId: string;
  readonly phone: string;
  readonly scope: EntryScope;
  readonly ownerAccountId: string | null;
  readonly source: EntrySourceName;
  readonly sendFailureCode: number | null;
  readonly reason: string;
  readonly detail: string;
  readonly messageId: string;
  readonly interceptedAtMs: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface CheckedUnsubscribe {
  readonly accountId: string;
  readonly phone: string;
  readonly sinceMs: number;
  readonly source: UnsubscribeSourceName;
  readonly replyId: string | null;
}

/** The decision alone (CheckBatchVerdicts). */
export interface CheckedVerdict {
  readonly phone: string;
  readonly verdict: VerdictName;
}

export interface CheckResult {
  readonly phone: string;
  readonly verdict: VerdictName;
  readonly entry: CheckedEntry | null;
  readonly unsubscribe: CheckedUnsubscribe | null;
}
