import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import { IndexPendingEntity, IndexStateEntity } from './index-state.entity';

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
    const em = this.em.fork();
    const state = await em.findOneOrFail(IndexStateEntity, { id: 1 });
    // On the database's clock, which stamped created_at: the service's clock may differ.
    const stalePending = await em
      .createQueryBuilder(IndexPendingEntity)
      .where(`created_at < clock_timestamp() - (? * interval '1 millisecond')`, [graceMs])
      .getCount();
    return { generation: String(state.generation), redisRunId: state.redisRunId, stalePending };
  }

  /** Redis took these changes. */
  async confirm(revisions: readonly string[]): Promise<void> {
    if (revisions.length === 0) return;
    await this.em.fork().nativeDelete(IndexPendingEntity, { revision: { $in: [...revisions] } });
  }

  /** A new generation; claims every change committed so far (the rebuild will cover them). */
  async beginRebuild(): Promise<string> {
    return this.em.fork().transactional(async (em) => {
      // A sequence has no entity: its next value is the one statement left in SQL.
      const [row] = await new Sql(em).rows<{ g: string }>(
        `select nextval('index_generation_seq') as g`,
      );
      const generation = String(row.g);
      await em.nativeUpdate(IndexPendingEntity, {}, { repairGeneration: generation });
      return generation;
    });
  }

  /** The rebuild is live in Redis: record it, and drop the changes it covered. */
  async finishRebuild(generation: string, redisRunId: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      await em.nativeUpdate(
        IndexStateEntity,
        { id: 1 },
        { generation, redisRunId, rebuiltAt: new Date() },
      );
      await em.nativeDelete(IndexPendingEntity, { repairGeneration: generation });
    });
  }
}
