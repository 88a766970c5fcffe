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

  /** Reply ids of rows still PENDING and created before `olderThan`, oldest first. */
  async pendingReplyIds(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        KeywordEffect,
        { state: 'PENDING', createdAt: { $lt: olderThan } },
        { fields: ['replyId'], orderBy: { createdAt: 'asc' }, limit },
      );
    return rows.map((row) => row.replyId);
  }
}
