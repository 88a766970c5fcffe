import { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager, Knex } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface OutboxFailure {
  readonly messageId: string;
  readonly code: number;
  /** The RecordFailure request as JSON (dates as ISO strings). */
  readonly request: Record<string, unknown>;
}

/** The failure_outbox table: rows written with the failure, removed once enqueued. */
@Injectable()
export class FailureOutboxRepository {
  constructor(private readonly orm: MikroORM) {}

  private knex(): Knex {
    return (this.orm.em.fork() as unknown as SqlEntityManager).getKnex();
  }

  async delete(rows: readonly OutboxFailure[]): Promise<void> {
    if (!rows.length) return;
    await this.knex().raw(
      `delete from failure_outbox o using unnest(?::text[], ?::smallint[]) as d(id, code)
        where o.message_id = d.id and o.code = d.code`,
      [rows.map((row) => row.messageId), rows.map((row) => row.code)],
    );
  }

  /** Rows a crash between commit and enqueue left behind (older than `before`). */
  async findLeftBehind(before: Date, limit: number): Promise<OutboxFailure[]> {
    const result = await this.knex().raw<{
      rows: { message_id: string; code: number; request: Record<string, unknown> }[];
    }>(
      `select message_id, code, request from failure_outbox
        where created_at < ? order by created_at limit ?`,
      [before, limit],
    );
    return result.rows.map((row) => ({
      messageId: row.message_id,
      code: row.code,
      request: row.request,
    }));
  }

  async count(): Promise<number> {
    const result = await this.knex().raw<{ rows: { count: string }[] }>(
      'select count(*) as count from failure_outbox',
    );
    return Number(result.rows[0]?.count ?? 0);
  }
}
