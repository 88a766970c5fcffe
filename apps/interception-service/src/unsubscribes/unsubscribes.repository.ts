import { LockMode, raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import { insertWebhookEvents } from '@sms/platform-outbox';
import { toDate, type DbTime } from '../block-list/block-entry.row';
import { unsubscribeChangedEvent } from '../webhook-events/webhook-events';
import {
  UnsubscribeEntity,
  type UnsubscribeRecord,
  type UnsubscribeSourceName,
  type UnsubscribeStateName,
} from './unsubscribe.entity';

interface UnsubscribeRow {
  account_id: string;
  phone: string;
  state: string;
  since: DbTime;
  source: string;
  reply_id: string | null;
  changed_at: DbTime;
  revision: string;
  created_at: DbTime;
  updated_at: DbTime;
}

function rowToRecord(row: UnsubscribeRow): UnsubscribeRecord {
  return {
    accountId: row.account_id,
    phone: row.phone,
    state: row.state as UnsubscribeStateName,
    since: toDate(row.since),
    source: row.source as UnsubscribeSourceName,
    replyId: row.reply_id,
    changedAt: toDate(row.changed_at),
    revision: String(row.revision),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export interface UnsubscribeToAdd {
  readonly accountId: string;
  readonly phone: string;
  readonly source: UnsubscribeSourceName;
  readonly replyId: string | null;
  readonly occurredAt: Date;
}

/** Keyset position in (since desc, phone desc) order. */
export interface UnsubscribePosition {
  readonly at: number;
  readonly phone: string;
}

/**
 * The unsubscribe list. Unsubscribe and resubscribe are ordered by when the recipient asked
 * (occurred_at), not by arrival: a REMOVED row keeps the resubscribe time so an older
 * unsubscribe delivered late changes nothing.
 *
 * Entities and the QueryBuilder, except `add`: one conditional upsert (ON CONFLICT … DO UPDATE
 * … WHERE), which MikroORM's upsert cannot express and which keeps a late, older unsubscribe
 * from winning a race without a lock.
 */
@Injectable()
export class UnsubscribesRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * changed: whether this call changed the row (its unsubscribe.changed event is committed with
   * it); record: the row as it is now.
   */
  async add(add: UnsubscribeToAdd): Promise<{ changed: boolean; record: UnsubscribeRecord }> {
    const changed = await this.em.fork().transactional(async (tx) => {
      const [row] = await new Sql(tx).rows<UnsubscribeRow>(
        `insert into unsubscribe as u (account_id, phone, state, since, source, reply_id, changed_at)
       values (?, ?, 'ACTIVE', ?, ?, ?, ?)
       on conflict (account_id, phone) do update set
         state = 'ACTIVE', since = excluded.since, source = excluded.source,
         reply_id = excluded.reply_id, changed_at = excluded.changed_at,
         revision = nextval('index_revision_seq'), updated_at = now()
       where u.state = 'REMOVED' and u.changed_at < excluded.changed_at
       returning *`,
        [add.accountId, add.phone, add.occurredAt, add.source, add.replyId, add.occurredAt],
      );
      if (!row) return null;
      const record = rowToRecord(row);
      await insertWebhookEvents(new Sql(tx), [unsubscribeChangedEvent(record)]);
      return record;
    });
    if (changed) return { changed: true, record: changed };
    const current = await this.find(add.accountId, add.phone);
    return { changed: false, record: current! };
  }

  /** removed: an ACTIVE unsubscribe older than (or as old as) the resubscribe was removed. */
  async remove(
    accountId: string,
    phone: string,
    occurredAt: Date,
  ): Promise<{ removed: boolean; record: UnsubscribeRecord | null }> {
    return this.em.fork().transactional(async (em) => {
      const key = { accountId, phone };
      const current = await em.findOne(UnsubscribeEntity, key, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      if (!current) {
        // Remember the resubscribe so an older unsubscribe arriving later is ignored.
        const inserted = await em
          .createQueryBuilder(UnsubscribeEntity)
          .insert({
            ...key,
            state: 'REMOVED',
            since: occurredAt,
            source: 'API',
            replyId: null,
            changedAt: occurredAt,
          })
          .onConflict()
          .ignore()
          .execute<{ affectedRows: number }>('run');
        if (inserted.affectedRows !== 1) return { removed: false, record: null };
        return { removed: false, record: await em.findOne(UnsubscribeEntity, key) };
      }
      if (current.state === 'ACTIVE' && current.since.getTime() <= occurredAt.getTime()) {
        await em
          .createQueryBuilder(UnsubscribeEntity)
          .update({
            state: 'REMOVED',
            changedAt: occurredAt,
            revision: raw(`nextval('index_revision_seq')`),
            updatedAt: raw('now()'),
          })
          .where(key)
          .execute('run');
        const record = await em.findOneOrFail(UnsubscribeEntity, key, { refresh: true });
        // The unsubscribe.changed event commits with the change (the platform's webhook outbox).
        await insertWebhookEvents(new Sql(em), [unsubscribeChangedEvent(record)]);
        return { removed: true, record };
      }
      const record: UnsubscribeRecord = { ...current };
      if (current.state === 'REMOVED' && current.changedAt.getTime() < occurredAt.getTime()) {
        await em.nativeUpdate(UnsubscribeEntity, key, {
          changedAt: occurredAt,
          updatedAt: raw('now()'),
        });
      }
      return { removed: false, record };
    });
  }

  find(accountId: string, phone: string): Promise<UnsubscribeRecord | null> {
    return this.em
      .fork()
      .findOne(UnsubscribeEntity, { accountId, phone }, { disableIdentityMap: true });
  }

  list(
    accountId: string,
    phone: string | undefined,
    after: UnsubscribePosition | undefined,
    limit: number,
  ): Promise<UnsubscribeRecord[]> {
    const at = after && new Date(after.at);
    return this.em.fork().find(
      UnsubscribeEntity,
      {
        accountId,
        state: 'ACTIVE',
        ...(phone !== undefined && { phone }),
        ...(after &&
          at && {
            $or: [{ since: { $lt: at } }, { since: at, phone: { $lt: after.phone } }],
          }),
      },
      { orderBy: [{ since: 'desc' }, { phone: 'desc' }], limit, disableIdentityMap: true },
    );
  }

  /**
   * ACTIVE unsubscribes after a (account, phone) position, for the reconciler: QueryBuilder rows,
   * not managed entities, as BlockListRepository.activeAfter (measured there).
   */
  activeAfter(
    after: { accountId: string; phone: string },
    limit: number,
  ): Promise<UnsubscribeRecord[]> {
    return this.em
      .fork()
      .createQueryBuilder(UnsubscribeEntity)
      .select('*')
      .where({
        state: 'ACTIVE',
        $or: [
          { accountId: { $gt: after.accountId } },
          { accountId: after.accountId, phone: { $gt: after.phone } },
        ],
      })
      .orderBy([{ accountId: 'asc' }, { phone: 'asc' }])
      .limit(limit)
      .execute<UnsubscribeRecord[]>('all');
  }

  /** The fallback of checks: ACTIVE unsubscribes of these numbers for this account (by primary key). */
  findActive(accountId: string, phones: readonly string[]): Promise<UnsubscribeRecord[]> {
    if (!phones.length) return Promise.resolve([]);
    return this.em
      .fork()
      .find(
        UnsubscribeEntity,
        { accountId, state: 'ACTIVE', phone: { $in: [...phones] } },
        { disableIdentityMap: true },
      );
  }
}
