import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { FailureDeadLetterEntity, FailureOutboxEntity } from './failure-outbox.entity';

export interface OutboxFailure {
  readonly messageId: string;
  readonly code: number;
  /** The RecordFailure request as JSON (dates as ISO strings). */
  readonly request: Record<string, unknown>;
  /** Delivery round (0: the fast path after the commit). */
  readonly round?: number;
}

export interface DeadLetter {
  readonly messageId: string;
  readonly code: number;
  readonly request: Record<string, unknown>;
  readonly error: string;
  readonly createdAt: Date;
  readonly failedAt: Date;
}

/**
 * The failure_outbox table: rows written with the failure (by the ingest's bulk SQL, in its
 * transaction), removed only once interception-service confirmed them (or moved to
 * failure_dead_letter when it refused for good). Ordinary bookkeeping: entities, a fork per call.
 */
@Injectable()
export class FailureOutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /** Interception-service confirmed the failure. */
  async confirm(messageId: string, code: number): Promise<void> {
    await this.em.fork().nativeDelete(FailureOutboxEntity, { messageId, code });
  }

  /** Moves the row to the dead-letter list with the peer's answer (one transaction). */
  async deadLetter(messageId: string, code: number, error: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const row = await em.findOne(
        FailureOutboxEntity,
        { messageId, code },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) return;
      await em.upsert(
        FailureDeadLetterEntity,
        {
          messageId,
          code,
          request: row.request,
          error: error.slice(0, 2000),
          createdAt: row.createdAt,
          failedAt: new Date(),
        },
        {
          onConflictFields: ['messageId', 'code'],
          onConflictAction: 'merge',
          onConflictMergeFields: ['error', 'failedAt'],
        },
      );
      em.remove(row);
    });
  }

  /** Starts the next delivery round of a row still waiting; false when it is gone meanwhile. */
  async nextRound(messageId: string, code: number, round: number): Promise<boolean> {
    const updated = await this.em
      .fork()
      .nativeUpdate(FailureOutboxEntity, { messageId, code, round }, { round: round + 1 });
    return updated === 1;
  }

  /** Rows waiting longer than `before` (fast path lost, or rounds to check), oldest first. */
  async findWaiting(before: Date, limit: number, after?: OutboxKey): Promise<OutboxFailure[]> {
    const rows = await this.em.fork().find(
      FailureOutboxEntity,
      {
        createdAt: { $lt: before },
        ...(after && {
          $or: [
            { messageId: { $gt: after.messageId } },
            { messageId: after.messageId, code: { $gt: after.code } },
          ],
        }),
      },
      { orderBy: [{ messageId: 'asc' }, { code: 'asc' }], limit },
    );
    return rows.map((row) => ({
      messageId: row.messageId,
      code: row.code,
      request: row.request,
      round: row.round,
    }));
  }

  /** Newest first, keyset by (failed_at, message_id, code). */
  async deadLetters(limit: number, after?: DeadLetterPosition): Promise<DeadLetter[]> {
    const at = after && new Date(after.at);
    const rows = await this.em.fork().find(
      FailureDeadLetterEntity,
      after && at
        ? {
            $or: [
              { failedAt: { $lt: at } },
              { failedAt: at, messageId: { $lt: after.messageId } },
              { failedAt: at, messageId: after.messageId, code: { $lt: after.code } },
            ],
          }
        : {},
      { orderBy: [{ failedAt: 'desc' }, { messageId: 'desc' }, { code: 'desc' }], limit },
    );
    return rows.map((row) => ({
      messageId: row.messageId,
      code: row.code,
      request: row.request,
      error: row.error,
      createdAt: row.createdAt,
      failedAt: row.failedAt,
    }));
  }

  count(): Promise<number> {
    return this.em.fork().count(FailureOutboxEntity);
  }

  deadLetterCount(): Promise<number> {
    return this.em.fork().count(FailureDeadLetterEntity);
  }
}

export interface OutboxKey {
  readonly messageId: string;
  readonly code: number;
}

export interface DeadLetterPosition extends OutboxKey {
  readonly at: number;
}
