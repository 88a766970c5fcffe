import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { DailyPartitions, Sql } from '@sms/platform-database';

/** `reply` is partitioned by day on received_at. */
export const REPLY_PARTITIONS = new DailyPartitions('reply');

@Injectable()
export class RetentionRepository {
  constructor(private readonly orm: MikroORM) {}

  createPartition(day: Date): Promise<void> {
    return REPLY_PARTITIONS.create(this.sql(), day);
  }

  async partitionNames(): Promise<string[]> {
    return (await REPLY_PARTITIONS.list(this.sql())).map((day) => REPLY_PARTITIONS.nameOf(day));
  }

  async dropPartition(name: string): Promise<void> {
    const day = REPLY_PARTITIONS.dayOf(name);
    if (!day) throw new Error(`${name} is not a partition of reply`);
    await REPLY_PARTITIONS.drop(this.sql(), day);
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
