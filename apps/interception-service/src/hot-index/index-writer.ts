import { Injectable, Logger } from '@nestjs/common';
import type { BlockEntry } from '../block-list/block-entry.entity';
import { withDeadline } from '@sms/platform-deadline';
import { ExpiryScheduler } from '../expiry/expiry-scheduler';
import { InterceptionMetrics } from '../observability/interception.metrics';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import { BlockIndex } from './block-index';
import { IndexStateRepository } from './index-state.repository';
import { IndexTrust } from './index-trust';

export const REDIS_WRITE_DEADLINE_MS = 2_000;

/**
 * Every block-list and unsubscribe change reaches Redis through here, after its commit. The
 * commit itself logged the change in `index_pending` (a trigger); a write Redis took removes
 * that row, a write that failed leaves it, so the index is distrusted (here at once, in other
 * replicas within a grace period plus a reconcile interval) until the rebuilder replaces it.
 * Idempotent: callers re-apply on every retry, duplicates included.
 */
@Injectable()
export class IndexWriter {
  private readonly logger = new Logger(IndexWriter.name);

  constructor(
    private readonly index: BlockIndex,
    private readonly scheduler: ExpiryScheduler,
    private readonly state: IndexStateRepository,
    private readonly trust: IndexTrust,
    private readonly metrics: InterceptionMetrics,
  ) {}

  /** Mirrors committed rows into the index. Never throws. */
  async writeIndex(
    entries: readonly BlockEntry[],
    unsubscribes: readonly UnsubscribeRecord[],
  ): Promise<void> {
    if (entries.length === 0 && unsubscribes.length === 0) return;
    try {
      await withDeadline(
        Promise.all([this.index.putEntries(entries), this.index.putUnsubscribes(unsubscribes)]),
        REDIS_WRITE_DEADLINE_MS,
        'Redis index write',
      );
    } catch (error) {
      this.failed('index write', error);
      return;
    }
    const revisions = [...entries.map((e) => e.revision), ...unsubscribes.map((u) => u.revision)];
    // Left behind if this fails: the rebuilder then repairs what is already right. Harmless.
    await this.state
      .confirm(revisions)
      .catch((error: unknown) =>
        this.logger.warn(`index write not confirmed in PostgreSQL: ${describe(error)}`),
      );
  }

  /** Replaces expiry jobs after a commit; on failure the rebuild re-creates them. Never throws. */
  async scheduleExpiry(
    entries: readonly BlockEntry[],
    replaced: { id: string; version: number }[] = [],
  ): Promise<void> {
    try {
      await withDeadline(
        Promise.all([
          this.scheduler.schedule(entries),
          ...replaced.map((old) => this.scheduler.unschedule(old.id, old.version)),
        ]),
        REDIS_WRITE_DEADLINE_MS,
        'expiry job scheduling',
      );
    } catch (error) {
      this.failed('expiry scheduling', error);
    }
  }

  private failed(what: string, error: unknown): void {
    this.trust.writeFailed();
    this.metrics.indexWriteFailed();
    this.logger.warn(`${what} failed, the index is distrusted until rebuilt: ${describe(error)}`);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
