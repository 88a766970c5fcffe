import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';

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
 * The failure_outbox table: rows written with the failure, removed only once
 * interception-service confirmed them (or moved to failure_dead_letter when it refused for good).
 */
@Injectable()
export class FailureOutboxRepository {
  constructor(private readonly orm: MikroORM) {}

  private sql(): Sql {
    return Sql.fork(this.orm);
  }

  /** Interception-service confirmed the failure. */
  async confirm(messageId: string, code: number): Promise<void> {
    await this.sql().raw(`delete from failure_outbox where message_id = ? and code = ?`, [
      messageId,
      code,
    ]);
  }

  /** Moves the row to the dead-letter list with the peer's answer (one statement). */
  async deadLetter(messageId: string, code: number, error: string): Promise<void> {
    await this.sql().raw(
      `with moved as (
         delete from failure_outbox where message_id = ? and code = ? returning *)
       insert into failure_dead_letter (message_id, code, request, error, created_at)
       select message_id, code, request, ?, created_at from moved
       on conflict (message_id, code) do update set error = excluded.error, failed_at = now()`,
      [messageId, code, error.slice(0, 2000)],
    );
  }

  /** Starts the next delivery round of a row still waiting; false when it is gone meanwhile. */
  async nextRound(messageId: string, code: number, round: number): Promise<boolean> {
    const result = await this.sql().raw<{ rowCount: number }>(
      `update failure_outbox set round = round + 1 where message_id = ? and code = ? and round = ?`,
      [messageId, code, round],
    );
    return result.rowCount === 1;
  }

  /** Rows waiting longer than `before` (fast path lost, or rounds to check), oldest first. */
  async findWaiting(before: Date, limit: number, after?: OutboxKey): Promise<OutboxFailure[]> {
    const result = await this.sql().raw<{
      rows: { message_id: string; code: number; request: Record<string, unknown>; round: number }[];
    }>(
      `select message_id, code, request, round from failure_outbox
        where created_at < ? and (message_id, code) > (?, ?)
        order by message_id, code limit ?`,
      [before, after?.messageId ?? '', after?.code ?? -1, limit],
    );
    return result.rows.map((row) => ({
      messageId: row.message_id,
      code: row.code,
      request: row.request,
      round: row.round,
    }));
  }

  /** Newest first, keyset by (failed_at, message_id, code). */
  async deadLetters(limit: number, after?: DeadLetterPosition): Promise<DeadLetter[]> {
    const result = await this.sql().raw<{
      rows: {
        message_id: string;
        code: number;
        request: Record<string, unknown>;
        error: string;
        created_at: Date;
        failed_at: Date;
      }[];
    }>(
      `select * from failure_dead_letter
        where (?::timestamptz is null or (failed_at, message_id, code) < (?::timestamptz, ?, ?))
        order by failed_at desc, message_id desc, code desc limit ?`,
      [
        after ? new Date(after.at) : null,
        after ? new Date(after.at) : null,
        after?.messageId ?? '',
        after?.code ?? 0,
        limit,
      ],
    );
    return result.rows.map((row) => ({
      messageId: row.message_id,
      code: row.code,
      request: row.request,
      error: row.error,
      createdAt: new Date(row.created_at),
      failedAt: new Date(row.failed_at),
    }));
  }

  async count(): Promise<number> {
    const result = await this.sql().raw<{ rows: { count: string }[] }>(
      'select count(*) as count from failure_outbox',
    );
    return Number(result.rows[0]?.count ?? 0);
  }

  async deadLetterCount(): Promise<number> {
    const result = await this.sql().raw<{ rows: { count: string }[] }>(
      'select count(*) as count from failure_dead_letter',
    );
    return Number(result.rows[0]?.count ?? 0);
  }
}

export interface OutboxKey {
  readonly messageId: string;
  readonly code: number;
}

export interface DeadLetterPosition extends OutboxKey {
  readonly at: number;
}
