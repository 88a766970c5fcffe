import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { reportQueueErrors } from '@sms/platform-redis';
import type { Queue } from 'bullmq';
import type { BlockEntry } from '../block-list/block-entry.entity';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';

export const EXPIRY_QUEUE = 'interception-expiry';
export const EXPIRE_JOB = 'expire';
export const SWEEP_JOB = 'sweep';
const SWEEP_SCHEDULER_ID = 'expiry-sweep';

export interface ExpireJobData {
  readonly entryId: string;
  readonly version: number;
}

/** Entry id and version: re-adding the same job is a no-op, a renewal gets a new job. */
export function expiryJobId(entryId: string, version: number): string {
  return `expire-${entryId}-v${version}`;
}

/** The delayed expiry job of each entry with an expiry, and the repeatable sweep. */
@Injectable()
export class ExpiryScheduler {
  constructor(
    @InjectQueue(EXPIRY_QUEUE) private readonly queue: Queue<ExpireJobData | Record<string, never>>,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {
    const logger = new Logger(ExpiryScheduler.name);
    reportQueueErrors(this.queue, (message) => logger.warn(message));
  }

  /** Adds the expiry job of every ACTIVE entry with an expiry (existing job ids are kept). */
  async schedule(entries: readonly BlockEntry[], nowMs = Date.now()): Promise<void> {
    const jobs = entries
      .filter((entry) => entry.state === 'ACTIVE' && entry.expiresAt !== null)
      .map((entry) => ({
        name: EXPIRE_JOB,
        data: { entryId: entry.id, version: entry.version },
        opts: {
          jobId: expiryJobId(entry.id, entry.version),
          delay: Math.max(0, entry.expiresAt!.getTime() - nowMs),
          removeOnComplete: true,
          removeOnFail: 1000,
          attempts: 10,
          backoff: { type: 'exponential', delay: 500 },
        },
      }));
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  async unschedule(entryId: string, version: number): Promise<void> {
    await this.queue.remove(expiryJobId(entryId, version));
  }

  async isScheduled(entryId: string, version: number): Promise<boolean> {
    return (await this.queue.getJob(expiryJobId(entryId, version))) !== undefined;
  }

  /** Idempotent: (re)creates the repeatable sweep, e.g. after Redis lost its data. */
  async ensureSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.config.EXPIRY_SWEEP_INTERVAL_MS },
      { name: SWEEP_JOB, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
