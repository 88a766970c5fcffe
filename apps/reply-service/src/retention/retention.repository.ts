import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import { addDays, partitionName } from './partitions';

/** 42P07 duplicate_table, 23505 unique_violation (pg_type): another replica created it first. */
const ALREADY_CREATED = new Set(['42P07', '23505']);

@Injectable()
export class RetentionRepository {
  constructor(private readonly orm: MikroORM) {}

  async createPartition(day: Date): Promise<void> {
    const name = partitionName(day);
    try {
      await this.sql().raw(
        `create table if not exists ${name} partition of reply
           for values from ('${day.toISOString()}') to ('${addDays(day, 1).toISOString()}')`,
      );
    } catch (error) {
      if (!ALREADY_CREATED.has((error as { code?: string }).code ?? '')) throw error;
    }
  }

  async partitionNames(): Promise<string[]> {
    const result = await this.sql().raw<{ rows: { name: string }[] }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'reply'::regclass`,
    );
    return result.rows.map((row) => row.name);
  }

  /** Only ever called with names built by partitionName (no user input reaches this SQL). */
  async dropPartition(name: string): Promise<void> {
    await this.sql().raw(`drop table if exists ${name}`);
  }

  /**
   * Reply-id keys and finished outbox rows older than the cutoff, in bounded chunks: these are
   * small rows (the replies themselves go with their partitions).
   */
  async deleteExpiredKeys(cutoff: Date, chunk = 10_000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await this.sql().raw<{ rowCount: number }>(
        `delete from reply_key where reply_id in (
           select reply_id from reply_key where received_at < ? limit ?)`,
        [cutoff, chunk],
      );
      deleted += result.rowCount;
      if (result.rowCount < chunk) break;
    }
    await this.sql().raw(
      `delete from keyword_effect where state <> 'PENDING' and occurred_at < ?`,
      [cutoff],
    );
    return deleted;
  }

  private sql(): Sql {
    return Sql.fork(this.orm);
  }
}
