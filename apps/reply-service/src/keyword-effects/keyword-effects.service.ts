import { MikroORM } from '@mikro-orm/core';
import { InjectQueue } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { interceptionV1, toTimestamp } from '@sms/contracts';
import { isPermanentRefusal, rearmDelay, relayAction, roundJobId } from '@sms/platform-outbox';
import { currentTraceCarrier } from '@sms/platform-tracing';
import { PageTokenCodec } from '@sms/domain-page-token';
import { InvalidArgumentError } from '@sms/errors';
import type { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { REPLY_CONFIG, type ReplyConfig } from '../config';
import { ReplyMetrics } from '../replies/replies.metrics';
import { CAPPED_EXPONENTIAL, type KeywordEffectJobData } from './keyword-effects.backoff';
import { KeywordEffectRefusedError } from './keyword-effects.errors';
import type { KeywordEffect } from './keyword-effect.entity';
import { KeywordEffectsRepository } from './keyword-effects.repository';
import { INTERCEPTION_CLIENT, type InterceptionClient } from './interception.client';
import { withDeadline } from '@sms/platform-deadline';

export const KEYWORD_EFFECTS_QUEUE = 'reply-keyword-effects';
export const APPLY_EFFECT_JOB = 'apply-effect';
export const RELAY_JOB = 'relay-outbox';
/** How long a RecordReplies call waits for the fast-path enqueue before leaving it to the relay. */
const ENQUEUE_WAIT_MS = 1000;

export class InvalidDeadLetterQueryError extends InvalidArgumentError {}

interface RefusedPosition {
  readonly at: number;
  readonly replyId: string;
}

const isRefusedPosition = (value: unknown): value is RefusedPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as RefusedPosition).at) &&
  typeof (value as RefusedPosition).replyId === 'string';

/** BullMQ job id of a reply's effect in a round: from the reply id (no ':'; never a bare integer). */
export function effectJobId(replyId: string, round = 0): string {
  return roundJobId(
    `effect-${createHash('sha256').update(replyId).digest('hex').slice(0, 40)}`,
    round,
  );
}

/**
 * The keyword-effect outbox. Rows are written in the same transaction as their reply; after the
 * commit a job per row is enqueued at once (fast path). If the process dies between the commit
 * and the enqueue, or Redis loses the job, the relay (a repeatable job) re-arms every row still
 * PENDING after OUTBOX_RELAY_AFTER_MS: "stored but never sent" is repaired, not possible forever.
 * Applying twice is harmless: interception orders by occurred_at and AddUnsubscribe is idempotent.
 */
@Injectable()
export class KeywordEffectsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KeywordEffectsService.name);
  private readonly tokens: PageTokenCodec;

  constructor(
    private readonly repository: KeywordEffectsRepository,
    private readonly orm: MikroORM,
    @Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient,
    @InjectQueue(KEYWORD_EFFECTS_QUEUE) private readonly queue: Queue,
    @Inject(REPLY_CONFIG) private readonly config: ReplyConfig,
    private readonly metrics: ReplyMetrics,
  ) {
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  /** The dead-letter list (effects refused for good), newest first, 1..500 a page (50 when 0). */
  async listDeadLetters(
    pageSize: number,
    pageToken: string,
  ): Promise<{ effects: KeywordEffect[]; nextPageToken: string }> {
    const size = pageSize === 0 ? 50 : pageSize;
    if (!Number.isInteger(size) || size < 1 || size > 500) {
      throw new InvalidDeadLetterQueryError('page_size must be between 1 and 500');
    }
    const scope = { list: 'dead-letters' };
    const after = this.tokens.decode(pageToken, scope, isRefusedPosition);
    const rows = await this.repository.refused(
      size + 1,
      after ? { at: new Date(after.at), replyId: after.replyId } : undefined,
    );
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      effects: page,
      nextPageToken:
        rows.length > size && last?.finishedAt
          ? this.tokens.encode({ at: last.finishedAt.getTime(), replyId: last.replyId }, scope)
          : '',
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      RELAY_JOB,
      { every: this.config.MAINTENANCE_INTERVAL_MS },
      { name: RELAY_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  onApplicationShutdown(): void {
    this.interception.close();
  }

  /** Fast path after a commit; a failure here is only logged: the relay repairs it. */
  async enqueue(replyIds: readonly string[]): Promise<void> {
    if (replyIds.length === 0) return;
    try {
      // Bounded: with Redis down BullMQ would wait for it, and the reply is already safe.
      await withDeadline(
        this.queue.addBulk(replyIds.map((replyId) => this.jobFor(replyId))),
        ENQUEUE_WAIT_MS,
        'Redis',
      );
    } catch (error) {
      this.metrics.outboxFailures.inc({ action: 'enqueue', kind: 'enqueue' }, replyIds.length);
      this.logger.warn(
        `enqueueing ${replyIds.length} keyword effect(s) failed; the relay will retry: ${String(error)}`,
      );
    }
  }

  /**
   * Re-arms rows still pending whose job is gone (crash before the enqueue, Redis emptied) or
   * used up its attempts: the next round under a fresh job id, after a capped backoff. Forever.
   */
  async relay(): Promise<number> {
    const olderThan = new Date(Date.now() - this.config.OUTBOX_RELAY_AFTER_MS);
    const pending = await this.repository.pending(olderThan, 1000);
    let rearmed = 0;
    for (const { replyId, round } of pending) {
      const state = await this.queue.getJobState(effectJobId(replyId, round));
      // 'confirmed' cannot happen here: apply() marks the row APPLIED before its job completes.
      if (relayAction(state) !== 'rearm') continue;
      if (!(await this.repository.nextRound(replyId, round))) continue;
      const [data, opts] = this.jobArgs(replyId, round + 1);
      const delay =
        state === 'failed'
          ? rearmDelay(round + 1, this.config.OUTBOX_BACKOFF_MS, this.config.OUTBOX_MAX_BACKOFF_MS)
          : 0;
      await this.queue.add(APPLY_EFFECT_JOB, data, { ...opts, delay });
      rearmed++;
    }
    if (rearmed) this.logger.log(`relay re-armed ${rearmed} keyword effect(s)`);
    return rearmed;
  }

  /** Applies one row on interception-service; throws (to retry) while it cannot. */
  async apply(replyId: string): Promise<'applied' | 'already-done' | 'missing'> {
    const em = this.orm.em.fork();
    const effect = await this.repository.find(em, replyId);
    if (!effect) return 'missing';
    if (effect.state !== 'PENDING') return 'already-done';
    effect.attempts++;
    try {
      if (effect.action === 'UNSUBSCRIBE') {
        await this.interception.addUnsubscribe({
          accountId: effect.accountId,
          phone: effect.phone,
          source: interceptionV1.UnsubscribeSource.UNSUBSCRIBE_SOURCE_REPLY,
          replyId: effect.replyId,
          occurredAt: toTimestamp(effect.occurredAt),
        });
      } else {
        await this.interception.removeUnsubscribe({
          accountId: effect.accountId,
          phone: effect.phone,
          occurredAt: toTimestamp(effect.occurredAt),
        });
      }
    } catch (error) {
      const code = (error as { code?: number }).code ?? -1;
      const message = error instanceof Error ? error.message : String(error);
      effect.lastError = message.slice(0, 1000);
      if (isPermanentRefusal(code)) {
        effect.state = 'REFUSED';
        effect.finishedAt = new Date();
        await em.flush();
        this.metrics.outboxFailures.inc({ action: effect.action, kind: 'refused' });
        throw new KeywordEffectRefusedError(message);
      }
      await em.flush();
      this.metrics.outboxFailures.inc({ action: effect.action, kind: 'retry' });
      throw error;
    }
    effect.state = 'APPLIED';
    effect.lastError = null;
    effect.finishedAt = new Date();
    await em.flush();
    this.metrics.outboxApplied.inc({ action: effect.action });
    return 'applied';
  }

  private jobFor(replyId: string) {
    const [data, opts] = this.jobArgs(replyId);
    return { name: APPLY_EFFECT_JOB, data, opts };
  }

  private jobArgs(replyId: string, round = 0) {
    const data: KeywordEffectJobData = {
      replyId,
      backoffMs: this.config.OUTBOX_BACKOFF_MS,
      backoffMaxMs: this.config.OUTBOX_MAX_BACKOFF_MS,
      trace: currentTraceCarrier(),
    };
    const opts = {
      jobId: effectJobId(replyId, round),
      attempts: this.config.OUTBOX_ATTEMPTS,
      backoff: { type: CAPPED_EXPONENTIAL, delay: this.config.OUTBOX_BACKOFF_MS },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 86_400 },
    };
    return [data, opts] as const;
  }
}
