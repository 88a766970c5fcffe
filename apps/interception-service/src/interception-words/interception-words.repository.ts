import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import {
  InterceptionWordEntity,
  listKeyOf,
  WordListStateEntity,
  type WordListName,
} from './interception-word.entity';

export interface WordToAdd {
  readonly word: string;
  readonly normalized: string;
}

/** Keyset position in (created_at desc, id desc) order. */
export interface WordPosition {
  readonly at: number;
  readonly id: string;
}

/** Both lists of interception words, and the revision every change bumps (same transaction). */
@Injectable()
export class InterceptionWordsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Adds the words that are new (by normalised form); answers every given word's row. */
  async add(
    list: WordListName,
    accountId: string,
    words: readonly WordToAdd[],
    actor: string,
  ): Promise<{ words: InterceptionWordEntity[]; added: number }> {
    return this.em.fork().transactional(async (em) => {
      const now = new Date();
      const inserted: { id: string }[] = await em
        .createQueryBuilder(InterceptionWordEntity)
        .insert(
          words.map((w) => ({
            id: randomUUID(),
            list,
            accountId,
            word: w.word,
            normalized: w.normalized,
            createdBy: actor,
            createdAt: now,
          })),
        )
        .onConflict(['list', 'accountId', 'normalized'])
        .ignore()
        .returning('id')
        .execute('all');
      const added = inserted.length;
      if (added > 0) await this.bump(em, list, accountId);
      const rows = await em.find(InterceptionWordEntity, {
        list,
        accountId,
        normalized: { $in: words.map((w) => w.normalized) },
      });
      return { words: rows, added };
    });
  }

  async remove(list: WordListName, accountId: string, ids: readonly string[]): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      const removed = await em.nativeDelete(InterceptionWordEntity, {
        list,
        accountId,
        id: { $in: [...ids] },
      });
      if (removed > 0) await this.bump(em, list, accountId);
      return removed;
    });
  }

  async list(
    list: WordListName,
    accountId: string,
    after: WordPosition | undefined,
    limit: number,
  ): Promise<InterceptionWordEntity[]> {
    const em = this.em.fork();
    const at = after ? new Date(after.at) : undefined;
    return em.find(
      InterceptionWordEntity,
      {
        list,
        accountId,
        ...(at && after
          ? { $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit },
    );
  }

  /** The highest revision and every list's words (start-up). */
  async loadAll(): Promise<{ revision: string; words: InterceptionWordEntity[] }> {
    const em = this.em.fork();
    const revision = await this.latestRevision(em);
    return { revision, words: await em.find(InterceptionWordEntity, {}) };
  }

  /** Lists changed after a revision, with their words now and the revision they were read at. */
  async changedSince(
    revision: string,
  ): Promise<{ revision: string; lists: Map<string, InterceptionWordEntity[]> } | null> {
    const em = this.em.fork();
    const changed = await em.find(WordListStateEntity, { revision: { $gt: revision } });
    if (changed.length === 0) return null;
    const lists = new Map<string, InterceptionWordEntity[]>();
    for (const state of changed) lists.set(state.listKey, []);
    const latest = changed.reduce(
      (max, state) => (BigInt(state.revision) > BigInt(max) ? state.revision : max),
      revision,
    );
    const keys = [...lists.keys()];
    const accounts = keys.filter((k) => k !== 'PLATFORM').map((k) => k.slice('ACCOUNT:'.length));
    const rows = await em.find(InterceptionWordEntity, {
      $or: [
        ...(lists.has('PLATFORM') ? [{ list: 'PLATFORM' as const }] : []),
        ...(accounts.length ? [{ list: 'ACCOUNT' as const, accountId: { $in: accounts } }] : []),
      ],
    });
    for (const row of rows) lists.get(listKeyOf(row.list, row.accountId))?.push(row);
    return { revision: latest, lists };
  }

  private async latestRevision(em: EntityManager): Promise<string> {
    const [row] = await em
      .createQueryBuilder(WordListStateEntity)
      .select('revision')
      .orderBy({ revision: 'desc' })
      .limit(1)
      .execute('all');
    return row ? String(row.revision) : '0';
  }

  /**
   * Revisions are taken under one transaction lock, so they commit in order: a replica that has
   * seen revision n has seen every change below it (word changes are rare; serialising is free).
   */
  private async bump(em: EntityManager, list: WordListName, accountId: string): Promise<void> {
    // Through Sql: in `em`'s transaction. A bare getConnection().execute() ran on another
    // connection, so the revision committed (and the lock ended) before the words: a replica
    // polling in between read the new revision with the old words and never reloaded.
    const sql = new Sql(em);
    await sql.query(`select pg_advisory_xact_lock(hashtext('word_list_state'))`);
    await sql.query(
      `insert into word_list_state (list_key) values (?)
       on conflict (list_key) do update set revision = nextval('word_list_revision_seq')`,
      [listKeyOf(list, accountId)],
    );
  }
}
