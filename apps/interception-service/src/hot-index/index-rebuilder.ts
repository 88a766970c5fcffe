import {
  Inject,
  Injectable,
  Logger,
  type INestApplication,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthRegistry } from '@sms/platform-metrics';
import type { RedisClient } from '@sms/platform-redis';
import { randomUUID } from 'node:crypto';
import { BlockListRepository } from '../block-list/block-list.repository';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { withDeadline } from '@sms/platform-deadline';
import { ExpiryScheduler } from '../expiry/expiry-scheduler';
import { UnsubscribesRepository } from '../unsubscribes/unsubscribes.repository';
import { BlockIndex, CHECK_REDIS } from './block-index';
import { IndexStateRepository } from './index-state.repository';
import { IndexTrust } from './index-trust';
import { describe, REDIS_WRITE_DEADLINE_MS } from './index-writer';

const PAGE = 1000;
// Extended after every page, so only a crashed rebuild holds it this long.
const LOCK_TTL_MS = 60_000;
const VERIFY_DEADLINE_MS = 2_000;
const LOST_INDEX_RETRY_MS = 1_000;
// BullMQ's connection waits forever for Redis; a rebuild must end so the next one can start.
const QUEUE_DEADLINE_MS = 10_000;
// Likewise for PostgreSQL: its pool waits long for a connection when the server is unreachable.
const DATABASE_DEADLINE_MS = 10_000;

/**
 * Decides whether checks may trust the Redis index, and rebuilds it when not. Every reconcile
 * interval (and at once when a check or the check connection sees a change) it compares what
 * PostgreSQL says (generation, Redis run id, unconfirmed changes) with what Redis holds. Any
 * difference, or a local failed write, leads to a rebuild: a new generation filled from every
 * ACTIVE row and swapped in wholesale, so removals are repaired as well as additions.
 */
@Injectable()
export class IndexRebuilder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IndexRebuilder.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | null = null;
  private lastLostIndexAttempt = 0;

  constructor(
    private readonly entries: BlockListRepository,
    private readonly unsubscribes: UnsubscribesRepository,
    private readonly index: BlockIndex,
    private readonly state: IndexStateRepository,
    private readonly trust: IndexTrust,
    private readonly scheduler: ExpiryScheduler,
    @Inject(CHECK_REDIS) private readonly checkRedis: RedisClient,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // Ready when checks can answer correctly: from the trusted index, or from PostgreSQL.
    this.health.register('index', async () => {
      if (this.trust.generation === null) throw new Error('not trusted: checks use PostgreSQL');
      await this.checkRedis.ping();
    });
    this.health.setReadinessRule((passed) => passed('index') || passed('postgres'));
    // A dropped check connection may come back to a restarted or flushed Redis: distrust until
    // verified, and verify as soon as it is back.
    this.checkRedis.on('close', () => this.trust.distrust());
    this.checkRedis.on('ready', () => this.indexLost());
    this.timer = setInterval(() => void this.tick(), this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** A check found the index not trustworthy: verify now (at most once a second per process). */
  indexLost(): void {
    const now = Date.now();
    if (this.running || now - this.lastLostIndexAttempt < LOST_INDEX_RETRY_MS) return;
    this.lastLostIndexAttempt = now;
    this.verifyOrRebuild().catch((error: unknown) =>
      this.logger.warn(`index verification failed: ${describe(error)}`),
    );
  }

  /**
   * Trusts the index if it is exactly what PostgreSQL last built and nothing is unconfirmed
   * for longer than `graceMs`; otherwise rebuilds. True when the index is trusted afterwards.
   */
  async verifyOrRebuild(graceMs = this.config.INDEX_PENDING_GRACE_MS): Promise<boolean> {
    if (this.running) return this.running;
    const since = this.trust.snapshot();
    if (since.failedWrite) return this.reconcile();
    const redis = await withDeadline(this.index.describe(), VERIFY_DEADLINE_MS, 'Redis').catch(
      (error: unknown) => {
        this.trust.distrust();
        throw error;
      },
    );
    // PostgreSQL unreachable: no evidence either way, keep what this process knows.
    const durable = await withDeadline(this.state.read(graceMs), VERIFY_DEADLINE_MS, 'PostgreSQL');
    if (
      durable.generation !== '0' &&
      durable.stalePending === 0 &&
      redis.generation === durable.generation &&
      redis.runId === durable.redisRunId
    ) {
      return this.trust.verified(durable.generation, since);
    }
    this.trust.distrust();
    return this.reconcile();
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
      await this.verifyOrRebuild();
    } catch (error) {
      this.logger.debug(`reconcile tick: ${describe(error)}`);
    }
  }

  private async rebuild(): Promise<boolean> {
    const token = randomUUID();
    const locked = await withDeadline(
      this.index.tryLock(token, LOCK_TTL_MS),
      REDIS_WRITE_DEADLINE_MS,
      'lock',
    );
    if (!locked) return false;
    const started = Date.now();
    // Failures seen after this moment are not covered by this rebuild.
    const since = this.trust.snapshot();
    try {
      const { runId } = await withDeadline(this.index.describe(), VERIFY_DEADLINE_MS, 'Redis');
      const generation = await withDeadline(
        this.state.beginRebuild(),
        DATABASE_DEADLINE_MS,
        'new generation',
      );
      if (!(await this.index.beginBuild(token, generation))) return false;
      await withDeadline(this.scheduler.ensureSweep(), QUEUE_DEADLINE_MS, 'sweep scheduler');
      let entryCount = 0;
      let afterId = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const page = await withDeadline(
          this.entries.activeAfter(afterId, PAGE),
          DATABASE_DEADLINE_MS,
          'entries page',
        );
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
        const page = await withDeadline(
          this.unsubscribes.activeAfter(after, PAGE),
          DATABASE_DEADLINE_MS,
          'unsubscribes page',
        );
        if (page.length === 0) break;
        await this.index.putUnsubscribes(page);
        unsubscribeCount += page.length;
        await this.index.extendLock(token, LOCK_TTL_MS);
        const last = page[page.length - 1];
        after = { accountId: last.accountId, phone: last.phone };
      }
      // PostgreSQL first: if Redis then refuses (lock lost), the generations differ and every
      // replica distrusts the index until the next rebuild.
      await withDeadline(
        this.state.finishRebuild(generation, runId),
        DATABASE_DEADLINE_MS,
        'generation record',
      );
      if (!(await this.index.goLive(token, generation))) {
        this.logger.warn('Redis lost its data during the rebuild; rebuilding again');
        return false;
      }
      this.trust.rebuilt(generation, since);
      this.index
        .dropOtherGenerations(generation)
        .catch((error: unknown) =>
          this.logger.warn(`old index generations not removed: ${describe(error)}`),
        );
      this.logger.log(
        `index generation ${generation} built from PostgreSQL: ${entryCount} active entries, ${unsubscribeCount} unsubscribes in ${Date.now() - started} ms`,
      );
      return true;
    } finally {
      await this.index.unlock(token).catch(() => undefined);
    }
  }
}

/**
 * The one start-up step (main.ts and the test apps): trust the index only if nothing at all is
 * unconfirmed (a crash may have left a change this process never wrote), else rebuild it and
 * re-create lost expiry jobs, before reporting SERVING. Checks are correct without it (they
 * answer from PostgreSQL until trusted), so a failure here (Redis down) is left to the timer.
 */
export async function prepareIndex(app: INestApplication): Promise<void> {
  const rebuilder = app.get(IndexRebuilder);
  await rebuilder
    .verifyOrRebuild(0)
    .catch((error: unknown) =>
      new Logger('Bootstrap').warn(`start-up index check failed: ${describe(error)}`),
    );
}
