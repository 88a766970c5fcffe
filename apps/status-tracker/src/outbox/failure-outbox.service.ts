import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { FailureOutboxRepository, type OutboxFailure } from './failure-outbox.repository';

export const FAILURE_OUTBOX_QUEUE = 'failure-outbox';
export const RECORD_FAILURE_JOB = 'record-failure';
export const CAPPED_EXPONENTIAL = 'capped-exponential';

export interface RecordFailureJobData {
  readonly request: Record<string, unknown>;
  /** Read by the backoff strategy: the doubling stops here. */
  readonly maxBackoffMs: number;
}

/** One job per (message, code): enqueuing the same failure twice keeps one job. */
export function recordFailureJobId(messageId: string, code: number): string {
  // BullMQ job ids may not contain ':'; encodeURIComponent escapes it (and keeps ids distinct).
  return `failure-${encodeURIComponent(messageId)}-${code}`;
}

/**
 * The durable hand-over of send failures to the interception service: rows of failure_outbox
 * (written in the ingest transaction) become BullMQ jobs with retries, then leave the table.
 */
@Injectable()
export class FailureOutboxService {
  constructor(
    @InjectQueue(FAILURE_OUTBOX_QUEUE) private readonly queue: Queue<RecordFailureJobData>,
    private readonly repository: FailureOutboxRepository,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {}

  async enqueue(failures: readonly OutboxFailure[]): Promise<void> {
    if (!failures.length) return;
    await this.queue.addBulk(
      failures.map((failure) => ({
        name: RECORD_FAILURE_JOB,
        data: { request: failure.request, maxBackoffMs: this.config.OUTBOX_MAX_BACKOFF_MS },
        opts: {
          jobId: recordFailureJobId(failure.messageId, failure.code),
          attempts: this.config.OUTBOX_ATTEMPTS,
          backoff: { type: CAPPED_EXPONENTIAL, delay: this.config.OUTBOX_BACKOFF_MS },
          // Kept a week so a re-enqueue by the relay still finds the job and stays a no-op.
          removeOnComplete: { age: 7 * 86_400 },
          removeOnFail: { age: 30 * 86_400 },
        },
      })),
    );
    await this.repository.delete(failures);
  }

  /** Enqueues what a crash between commit and enqueue left in the table. */
  async relay(now: Date, graceMs = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const left = await this.repository.findLeftBehind(new Date(now.getTime() - graceMs), 500);
      await this.enqueue(left);
      total += left.length;
      if (left.length < 500) return total;
    }
  }

  async depth(): Promise<{ table: number; queued: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return {
      table: await this.repository.count(),
      queued: Object.values(counts).reduce((sum, count) => sum + count, 0),
    };
  }
}
