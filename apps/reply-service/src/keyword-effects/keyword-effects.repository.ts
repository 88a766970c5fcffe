import type { EntityManager } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { KeywordEffect } from './keyword-effect.entity';

@Injectable()
export class KeywordEffectsRepository {
  constructor(private readonly orm: MikroORM) {}

  find(em: EntityManager, replyId: string): Promise<KeywordEffect | null> {
    return em.findOne(KeywordEffect, { replyId });
  }

  /** Rows still PENDING and created before `olderThan`, oldest first. */
  async pending(olderThan: Date, limit: number): Promise<{ replyId: string; round: number }[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        KeywordEffect,
        { state: 'PENDING', createdAt: { $lt: olderThan } },
        { fields: ['replyId', 'round'], orderBy: { createdAt: 'asc' }, limit },
      );
    return rows.map((row) => ({ replyId: row.replyId, round: row.round }));
  }

  /** Starts the next round of a row still PENDING in `round`; false when it moved on. */
  async nextRound(replyId: string, round: number): Promise<boolean> {
    const updated = await this.orm.em
      .fork()
      .nativeUpdate(KeywordEffect, { replyId, round, state: 'PENDING' }, { round: round + 1 });
    return updated === 1;
  }

  /** The dead-letter list: effects interception-service refused for good, newest first. */
  async refused(limit: number, before?: { at: Date; replyId: string }): Promise<KeywordEffect[]> {
    return this.orm.em.fork().find(
      KeywordEffect,
      before
        ? {
            state: 'REFUSED',
            $or: [
              { finishedAt: { $lt: before.at } },
              { finishedAt: before.at, replyId: { $lt: before.replyId } },
            ],
          }
        : { state: 'REFUSED' },
      { orderBy: { finishedAt: 'desc', replyId: 'desc' }, limit },
    );
  }
}
