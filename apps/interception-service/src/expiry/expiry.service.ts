import { Injectable } from '@nestjs/common';
import { BlockListRepository } from '../block-list/block-list.repository';
import { IndexWriter } from '../hot-index/index-writer';
import { InterceptionMetrics } from '../observability/interception.metrics';

export type ExpireResult =
  | { readonly kind: 'expired' }
  /** Renewed, deleted or already expired since the job was scheduled. */
  | { readonly kind: 'stale' }
  /** Still this version and ACTIVE but not due yet (the job ran early). */
  | { readonly kind: 'not-due'; readonly dueAt: Date };

const SWEEP_BATCH = 1000;

/** Moves entries to EXPIRED: by their delayed job, or by the sweep when a job was lost. */
@Injectable()
export class ExpiryService {
  constructor(
    private readonly entries: BlockListRepository,
    private readonly writer: IndexWriter,
    private readonly metrics: InterceptionMetrics,
  ) {}

  async expire(entryId: string, version: number): Promise<ExpireResult> {
    const expired = await this.entries.expireIfDue(entryId, version);
    if (expired) {
      this.metrics.expired('job', expired.expiresAt!);
      await this.writer.writeIndex([expired], []);
      return { kind: 'expired' };
    }
    const current = await this.entries.findById(entryId);
    if (
      current?.state === 'ACTIVE' &&
      current.version === version &&
      current.expiresAt !== null &&
      current.expiresAt.getTime() > Date.now()
    ) {
      return { kind: 'not-due', dueAt: current.expiresAt };
    }
    return { kind: 'stale' };
  }

  /** Expires everything overdue, then refreshes the entries-by-state gauge. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.entries.expireOverdue(SWEEP_BATCH);
      const now = Date.now();
      for (const entry of expired) this.metrics.expired('sweep', entry.expiresAt!, now);
      await this.writer.writeIndex(expired, []);
      total += expired.length;
      if (expired.length < SWEEP_BATCH) break;
    }
    this.metrics.entriesByState(await this.entries.countByState());
    return total;
  }
}
