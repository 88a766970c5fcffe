import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { BlockEntry } from '../block-list/block-entry.entity';
import { BlockListRepository } from '../block-list/block-list.repository';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { withDeadline } from '../deadline';
import { ExpiryScheduler } from '../expiry/expiry-scheduler';
import { InterceptionMetrics } from '../observability/interception.metrics';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import { UnsubscribesRepository } from '../unsubscribes/unsubscribes.repository';
import { BlockIndex } from './block-index';

const PAGE = 1000;
// Extended after every page, so only a crashed rebuild holds it this long.
const LOCK_TTL_MS = 60_000;
const REDIS_WRITE_DEADLINE_MS = 2_000;
const LOST_INDEX_RETRY_MS = 1_000;
// BullMQ's connection waits forever for Redis; a rebuild must end so the next one can start.
const QUEUE_DEADLINE_MS = 10_000;

/**
 * Keeps Redis (hot index + expiry jobs) a faithful copy of PostgreSQL. Writes after a commit go
 * through `writeIndex`/`scheduleExpiry`; when one fails (Redis down) a rebuild is requested.
 * The rebuild (start-up, periodic when the sentinel is missing or a write failed, or at once
 * when a check finds the index lost) streams every ACTIVE row from PostgreSQL into the index
 * with put-if-newer, re-adds missing expiry jobs and the sweep, and then sets the sentinel.
 */
@Injectable()
export class IndexReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IndexReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | null = null;
  private rebuildRequested = false;
  private lastLostIndexAttempt = 0;

  constructor(
    private readonly entries: BlockListRepository,
    private readonly unsubscribes: UnsubscribesRepository,
    private readonly index: BlockIndex,
    private readonly scheduler: ExpiryScheduler,
    private readonly metrics: InterceptionMetrics,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Mirrors committed rows into the index; on failure the next tick rebuilds. Never throws. */
  async writeIndex(
    entries: readonly BlockEntry[],
    unsubscribes: readonly UnsubscribeRecord[],
  ): Promise<void> {
    try {
      await withDeadline(
        Promise.all([this.index.putEntries(entries), this.index.putUnsubscribes(unsubscribes)]),
        REDIS_WRITE_DEADLINE_MS,
        'Redis index write',
      );
    } catch (error) {
      this.repairLater('index write', error);
    }
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
      this.repairLater('expiry scheduling', error);
    }
  }

  /** A check found no sentinel: rebuild now (at most one attempt a second per process). */
  indexLost(): void {
    const now = Date.now();
    if (this.running || now - this.lastLostIndexAttempt < LOST_INDEX_RETRY_MS) return;
    this.lastLostIndexAttempt = now;
    this.reconcile().catch((error: unknown) =>
      this.logger.warn(`rebuild failed: ${describe(error)}`),
    );
  }

  /** Rebuilds unless another rebuild is running here (joined) or in another replica (false). */
  reconcile(): Promise<boolean> {
    this.running ??= this.rebuild().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    try {
      const ready = await withDeadline(this.index.isReady(), REDIS_WRITE_DEADLINE_MS, 'sentinel');
      if (this.rebuildRequested || !ready) await this.reconcile();
    } catch (error) {
      this.logger.debug(`reconcile tick: ${describe(error)}`);
    }
  }

  private repairLater(what: string, error: unknown): void {
    this.rebuildRequested = true;
    this.metrics.indexWriteFailed();
    this.logger.warn(`${what} failed, the reconciler will repair it: ${describe(error)}`);
  }

  private async rebuild(): Promise<boolean> {
    const token = randomUUID();
    if (
      !(await withDeadline(this.index.tryLock(token, LOCK_TTL_MS), REDIS_WRITE_DEADLINE_MS, 'lock'))
    ) {
      return false;
    }
    const started = Date.now();
    this.rebuildRequested = false;
    try {
      await withDeadline(this.scheduler.ensureSweep(), QUEUE_DEADLINE_MS, 'sweep scheduler');
      let entryCount = 0;
      let afterId = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const page = await this.entries.activeAfter(afterId, PAGE);
        if (page.length === 0) break;
        await this.index.putEntries(page);
        await withDeadline(this.scheduler.schedule(page), QUEUE_DEADLINE_MS, 'expiry jobs');
        entryCount += page.length;
        afterId = page[page.length - 1].id;
        await this.index.extendLock(token, LOCK_TTL_MS);
      }
      let unsubscribeCount = 0;
      let after = { accountId: '', phone: '' };
      for (;;) {
        const page = await this.unsubscribes.activeAfter(after, PAGE);
        if (page.length === 0) break;
        await this.index.putUnsubscribes(page);
        unsubscribeCount += page.length;
        await this.index.extendLock(token, LOCK_TTL_MS);
        const last = page[page.length - 1];
        after = { accountId: last.accountId, phone: last.phone };
      }
      if (!(await this.index.markReady(token))) {
        this.rebuildRequested = true;
        this.logger.warn('Redis lost its data during the rebuild; rebuilding again');
        return false;
      }
      this.logger.log(
        `index rebuilt from PostgreSQL: ${entryCount} active entries, ${unsubscribeCount} unsubscribes in ${Date.now() - started} ms`,
      );
      return true;
    } catch (error) {
      this.rebuildRequested = true;
      throw error;
    } finally {
      await this.index.unlock(token).catch(() => undefined);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
