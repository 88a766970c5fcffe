import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';

export interface DurableIndexState {
  /** The generation last fully built ('0': never). */
  readonly generation: string;
  /** The Redis process (INFO run_id) that holds it. */
  readonly redisRunId: string;
  /** Changes that Redis has not confirmed for longer than the grace period. */
  readonly stalePending: number;
}

/** The durable side of index trust (see Migration002IndexGeneration). */
@Injectable()
export class IndexStateRepository {
  constructor(private readonly em: EntityManager) {}

  async read(graceMs: number): Promise<DurableIndexState> {
    const [row] = await new Sql(this.em.fork()).rows<{
      generation: string;
      redis_run_id: string;
      stale: string;
    }>(
      `select s.generation, s.redis_run_id,
         (select count(*) from index_pending
           where created_at < clock_timestamp() - (? * interval '1 millisecond')) as stale
       from index_state s where s.id = 1`,
      [graceMs],
    );
    return {
      generation: String(row.generation),
      redisRunId: row.redis_run_id,
      stalePending: Number(row.stale),
    };
  }

  /** Redis took these changes. */
  async confirm(revisions: readonly string[]): Promise<void> {
    if (revisions.length === 0) return;
    await new Sql(this.em.fork()).rows(
      `delete from index_pending where revision = any(?::bigint[])`,
      [revisions],
    );
  }

  /** A new generation; claims every change committed so far (the rebuild will cover them). */
  async beginRebuild(): Promise<string> {
    return this.em.fork().transactional(async (tx) => {
      const [row] = await new Sql(tx).rows<{ g: string }>(
        `select nextval('index_generation_seq') as g`,
        [],
      );
      const generation = String(row.g);
      await new Sql(tx).rows(`update index_pending set repair_generation = ?`, [generation]);
      return generation;
    });
  }

  /** The rebuild is live in Redis: record it, and drop the changes it covered. */
  async finishRebuild(generation: string, redisRunId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      await new Sql(tx).rows(
        `update index_state set generation = ?, redis_run_id = ?, rebuilt_at = now() where id = 1`,
        [generation, redisRunId],
      );
      await new Sql(tx).rows(`delete from index_pending where repair_generation = ?`, [generation]);
    });
  }
}
