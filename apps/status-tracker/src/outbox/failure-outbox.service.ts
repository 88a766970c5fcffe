import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CAPPED_EXPONENTIAL, rearmDelay, relayAction, roundJobId } from '@sms/platform-outbox';
import { currentTraceCarrier, type TraceCarrier } from '@sms/platform-tracing';
import { PageTokenCodec } from '@sms/domain-page-token';
import { InvalidArgumentError } from '@sms/errors';
import type { Queue } from 'bullmq';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import {
  FailureOutboxRepository,
  type DeadLetter,
  type DeadLetterPosition,
  type OutboxFailure,
  type OutboxKey,
} from './failure-outbox.repository';

export { CAPPED_EXPONENTIAL };
export const FAILURE_OUTBOX_QUEUE = 'failure-outbox';
export const RECORD_FAILURE_JOB = 'record-failure';

export interface RecordFailureJobData {
  readonly request: Record<string, unknown>;
  /** Read by the backoff strategy: the doubling stops here. */
  readonly maxBackoffMs: number;
  /** The trace of the RecordEvents call that produced it (empty when tracing is off). */
  readonly trace?: TraceCarrier;
}

/** One job per (message, code) and delivery round: enqueuing a round twice keeps one job. */
export function recordFailureJobId(messageId: string, code: number, round = 0): string {
  // BullMQ job ids may not contain ':'; encodeURIComponent escapes it (and keeps ids distinct).
  return roundJobId(`failure-${encodeURIComponent(messageId)}-${code}`, round);
}

const RELAY_PAGE = 500;

export class InvalidDeadLetterQueryError extends InvalidArgumentError {}

const isDeadLetterPosition = (value: unknown): value is DeadLetterPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as DeadLetterPosition).at) &&
  typeof (value as DeadLetterPosition).messageId === 'string' &&
  Number.isSafeInteger((value as DeadLetterPosition).code);

/**
 * The durable hand-over of send failures to the interception service: rows of failure_outbox
 * (written in the ingest transaction) become BullMQ jobs with retries; a row leaves the table
 * only when interception-service confirmed it (or refused it for good: dead-letter list). The
 * relay re-arms rows whose job is gone or used up its attempts, under a fresh job id, forever.
 */
@Injectable()
export class FailureOutboxService {
  private readonly logger = new Logger(FailureOutboxService.name);
  private readonly tokens: PageTokenCodec;

  constructor(
    @InjectQueue(FAILURE_OUTBOX_QUEUE) private readonly queue: Queue<RecordFailureJobData>,
    private readonly repository: FailureOutboxRepository,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async enqueue(failures: readonly OutboxFailure[], delayMs = 0): Promise<void> {
    if (!failures.length) return;
    await this.queue.addBulk(
      failures.map((failure) => ({
        name: RECORD_FAILURE_JOB,
        data: {
          request: failure.request,
          maxBackoffMs: this.config.OUTBOX_MAX_BACKOFF_MS,
          trace: currentTraceCarrier(),
        },
        opts: {
          jobId: recordFailureJobId(failure.messageId, failure.code, failure.round ?? 0),
          attempts: this.config.OUTBOX_ATTEMPTS,
          backoff: { type: CAPPED_EXPONENTIAL, delay: this.config.OUTBOX_BACKOFF_MS },
          delay: delayMs,
          // Kept a week so a re-enqueue of the same round still finds the job and stays a no-op.
          removeOnComplete: { age: 7 * 86_400 },
          removeOnFail: { age: 30 * 86_400 },
        },
      })),
    );
  }

  /**
   * Rows older than the grace period: enqueues what a crash left un-enqueued, re-arms rounds that
   * failed or were lost (Redis emptied), and removes rows whose delivery completed but was not
   * confirmed. Returns how many were (re-)enqueued.
   */
  async relay(now: Date, graceMs = 5_000): Promise<number> {
    let total = 0;
    let after: OutboxKey | undefined;
    for (;;) {
      const rows = await this.repository.findWaiting(
        new Date(now.getTime() - graceMs),
        RELAY_PAGE,
        after,
      );
      for (const row of rows) {
        const round = row.round ?? 0;
        const state = await this.queue.getJobState(
          recordFailureJobId(row.messageId, row.code, round),
        );
        const action = relayAction(state);
        if (action === 'confirmed') {
          await this.repository.confirm(row.messageId, row.code);
        } else if (action === 'rearm') {
          if (!(await this.repository.nextRound(row.messageId, row.code, round))) continue;
          const delay = rearmDelay(
            round + 1,
            this.config.OUTBOX_BACKOFF_MS,
            this.config.OUTBOX_MAX_BACKOFF_MS,
          );
          await this.enqueue([{ ...row, round: round + 1 }], state === 'failed' ? delay : 0);
          total += 1;
        }
      }
      if (rows.length > 0) {
        const last = rows[rows.length - 1];
        after = { messageId: last.messageId, code: last.code };
      }
      if (rows.length < RELAY_PAGE) break;
    }
    if (total) this.logger.log(`relay re-armed ${total} send failure(s)`);
    return total;
  }

  async deadLetters(limit: number, after?: DeadLetterPosition): Promise<DeadLetter[]> {
    return this.repository.deadLetters(limit, after);
  }

  /** Operators' list: newest first, 1..500 a page (50 when 0), signed keyset tokens. */
  async listDeadLetters(
    pageSize: number,
    pageToken: string,
  ): Promise<{ deadLetters: DeadLetter[]; nextPageToken: string }> {
    const size = pageSize === 0 ? 50 : pageSize;
    if (!Number.isInteger(size) || size < 1 || size > 500) {
      throw new InvalidDeadLetterQueryError('page_size must be between 1 and 500');
    }
    const scope = { list: 'dead-letters' };
    const after = this.tokens.decode(pageToken, scope, isDeadLetterPosition);
    const rows = await this.repository.deadLetters(size + 1, after);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      deadLetters: page,
      nextPageToken:
        rows.length > size && last
          ? this.tokens.encode(
              { at: last.failedAt.getTime(), messageId: last.messageId, code: last.code },
              scope,
            )
          : '',
    };
  }

  async depth(): Promise<{ table: number; queued: number; deadLetters: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return {
      table: await this.repository.count(),
      queued: Object.values(counts).reduce((sum, count) => sum + count, 0),
      deadLetters: await this.repository.deadLetterCount(),
    };
  }
}
