import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import type { FrequencyLimits } from '../admission/frequency-limits';
import { FrequencyLimitEntity } from './frequency-limit.entity';

/** Stored frequency limits, and the revision every change takes (same transaction). */
@Injectable()
export class FrequencyLimitsRepository {
  constructor(private readonly em: EntityManager) {}

  /** The rows of these owners that hold limits (not reset). */
  async find(owners: readonly string[]): Promise<FrequencyLimitEntity[]> {
    return this.em
      .fork()
      .find(FrequencyLimitEntity, { owner: { $in: [...owners] }, limits: { $ne: null } });
  }

  /** Stores (limits) or resets (null) an owner's limits; answers the row. */
  async write(
    owner: string,
    limits: FrequencyLimits | null,
    actor: string,
  ): Promise<FrequencyLimitEntity> {
    return this.em.fork().transactional(async (em) => {
      const revision = await this.nextRevision(em);
      return em.upsert(FrequencyLimitEntity, {
        owner,
        limits,
        updatedBy: actor,
        updatedAt: new Date(),
        revision,
      });
    });
  }

  /** The highest revision and every stored set of limits (start-up). */
  async loadAll(): Promise<{ revision: string; rows: FrequencyLimitEntity[] }> {
    const em = this.em.fork();
    const [latest] = await em.find(
      FrequencyLimitEntity,
      {},
      { orderBy: { revision: 'desc' }, limit: 1 },
    );
    const rows = await em.find(FrequencyLimitEntity, { limits: { $ne: null } });
    return { revision: latest?.revision ?? '0', rows };
  }

  /** Rows changed after a revision (resets included, with limits null), and the highest one. */
  async changedSince(
    revision: string,
  ): Promise<{ revision: string; rows: FrequencyLimitEntity[] } | null> {
    const rows = await this.em
      .fork()
      .find(
        FrequencyLimitEntity,
        { revision: { $gt: revision } },
        { orderBy: { revision: 'asc' } },
      );
    if (rows.length === 0) return null;
    return { revision: rows[rows.length - 1].revision, rows };
  }

  /**
   * Revisions are taken under one transaction lock, so they commit in order: a replica that has
   * seen revision n has seen every change below it (limit changes are rare; serialising is free).
   */
  private async nextRevision(em: EntityManager): Promise<string> {
    // Through Sql: in `em`'s transaction (see InterceptionWordsRepository.bump).
    const sql = new Sql(em);
    await sql.query(`select pg_advisory_xact_lock(hashtext('frequency_limit'))`);
    const [row] = await sql.rows<{ revision: string }>(
      `select nextval('frequency_limit_revision_seq')::text as revision`,
    );
    return row.revision;
  }
}
