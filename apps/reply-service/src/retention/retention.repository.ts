import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { DailyPartitions, Sql } from '@sms/platform-database';
import { KeywordEffect } from '../keyword-effects/keyword-effect.entity';
import { ReplyKeyEntity } from '../replies/reply.entity';

/** `reply` is partitioned by day on received_at. */
export const REPLY_PARTITIONS = new DailyPartitions('reply');

/** Partition DDL through DailyPartitions (raw by nature); the key and outbox sweeps by entity. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly em: EntityManager) {}

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
      const em = this.em.fork();
      const keys = await em
        .createQueryBuilder(ReplyKeyEntity)
        .select('replyId')
        .where({ receivedAt: { $lt: cutoff } })
        .limit(chunk)
        .execute('all');
      if (keys.length) {
        deleted += await em.nativeDelete(ReplyKeyEntity, {
          replyId: { $in: keys.map((key) => key.replyId) },
        });
      }
      if (keys.length < chunk) break;
    }
    await this.em
      .fork()
      .nativeDelete(KeywordEffect, { state: { $ne: 'PENDING' }, occurredAt: { $lt: cutoff } });
    return deleted;
  }

  private sql(): Sql {
    return new Sql(this.em.fork());
  }
}
