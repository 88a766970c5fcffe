import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { REPLY_CONFIG, type ReplyConfig } from '../config';
import { dayStart, daysToCover, isExpiredPartition, retentionCutoff } from '@sms/platform-database';
import { REPLY_PARTITIONS, RetentionRepository } from './retention.repository';

export const RETENTION_QUEUE = 'reply-retention';
export const RETENTION_JOB = 'maintain-partitions';

export interface RetentionRun {
  readonly created: number;
  readonly dropped: string[];
  readonly keysDeleted: number;
}

/**
 * Daily partitions of `reply`: the window's days and a few ahead always exist (a repeatable job,
 * plus on demand before an insert), and a partition wholly older than the retention window is
 * dropped: retention costs a DROP TABLE a day, never a mass DELETE of replies.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);
  private readonly knownDays = new Set<string>();

  constructor(
    private readonly repository: RetentionRepository,
    @Inject(REPLY_CONFIG) private readonly config: ReplyConfig,
    @InjectQueue(RETENTION_QUEUE) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintain(new Date());
    await this.queue.upsertJobScheduler(
      RETENTION_JOB,
      { every: this.config.RETENTION_INTERVAL_MS },
      { name: RETENTION_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /** Makes sure the partitions for these receive times exist (cached per process). */
  async ensurePartitionsFor(times: readonly Date[]): Promise<void> {
    const missing = new Map<string, Date>();
    for (const time of times) {
      const day = dayStart(time);
      const name = REPLY_PARTITIONS.nameOf(day);
      if (!this.knownDays.has(name)) missing.set(name, day);
    }
    for (const [name, day] of missing) {
      await this.repository.createPartition(day);
      this.knownDays.add(name);
    }
  }

  async maintain(now: Date): Promise<RetentionRun> {
    const retentionDays = this.config.RETENTION_DAYS;
    const wanted = daysToCover(now, retentionDays, this.config.PARTITIONS_AHEAD_DAYS);
    const existing = new Set(await this.repository.partitionNames());
    let created = 0;
    for (const day of wanted) {
      const name = REPLY_PARTITIONS.nameOf(day);
      if (!existing.has(name)) {
        await this.repository.createPartition(day);
        created++;
      }
      this.knownDays.add(name);
    }
    const dropped: string[] = [];
    for (const name of existing) {
      const day = REPLY_PARTITIONS.dayOf(name);
      if (day && isExpiredPartition(day, now, retentionDays)) {
        await this.repository.dropPartition(name);
        this.knownDays.delete(name);
        dropped.push(name);
      }
    }
    const keysDeleted = await this.repository.deleteExpiredKeys(
      retentionCutoff(now, retentionDays),
    );
    if (created || dropped.length || keysDeleted) {
      this.logger.log(
        `partitions: ${created} created, ${dropped.length} dropped; ${keysDeleted} reply keys expired`,
      );
    }
    return { created, dropped, keysDeleted };
  }
}
