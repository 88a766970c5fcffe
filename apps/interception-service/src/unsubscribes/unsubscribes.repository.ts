import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql, type SqlParam } from '@sms/platform-database';
import { insertWebhookEvents } from '@sms/platform-outbox';
import { toDate, type DbTime } from '../block-list/block-entry.row';
import { unsubscribeChangedEvent } from '../webhook-events/webhook-events';
import type {
  UnsubscribeRecord,
  UnsubscribeSourceName,
  UnsubscribeStateName,
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
    return this.em.fork().transactional(async (tx) => {
      const [current] = await new Sql(tx).rows<UnsubscribeRow>(
        `select * from unsubscribe where account_id = ? and phone = ? for update`,
        [accountId, phone],
      );
      if (!current) {
        // Remember the resubscribe so an older unsubscribe arriving later is ignored.
        const [inserted] = await new Sql(tx).rows<UnsubscribeRow>(
          `insert into unsubscribe (account_id, phone, state, since, source, reply_id, changed_at)
           values (?, ?, 'REMOVED', ?, 'API', null, ?) on conflict do nothing returning *`,
          [accountId, phone, occurredAt, occurredAt],
        );
        return { removed: false, record: inserted ? rowToRecord(inserted) : null };
      }
      if (current.state === 'ACTIVE' && toDate(current.since).getTime() <= occurredAt.getTime()) {
        const [row] = await new Sql(tx).rows<UnsubscribeRow>(
          `update unsubscribe set state = 'REMOVED', changed_at = ?,
             revision = nextval('index_revision_seq'), updated_at = now()
           where account_id = ? and phone = ? returning *`,
          [occurredAt, accountId, phone],
        );
        const record = rowToRecord(row);
        await insertWebhookEvents(new Sql(tx), [unsubscribeChangedEvent(record)]);
        return { removed: true, record };
      }
      if (
        current.state === 'REMOVED' &&
        toDate(current.changed_at).getTime() < occurredAt.getTime()
      ) {
        await new Sql(tx).rows(
          `update unsubscribe set changed_at = ?, updated_at = now() where account_id = ? and phone = ?`,
          [occurredAt, accountId, phone],
        );
      }
      return { removed: false, record: rowToRecord(current) };
    });
  }

  async find(accountId: string, phone: string): Promise<UnsubscribeRecord | null> {
    const [row] = await new Sql(this.em.fork()).rows<UnsubscribeRow>(
      `select * from unsubscribe where account_id = ? and phone = ?`,
      [accountId, phone],
    );
    return row ? rowToRecord(row) : null;
  }

  async list(
    accountId: string,
    phone: string | undefined,
    after: UnsubscribePosition | undefined,
    limit: number,
  ): Promise<UnsubscribeRecord[]> {
    const conditions = [`account_id = ?`, `state = 'ACTIVE'`];
    const params: SqlParam[] = [accountId];
    if (phone !== undefined) {
      conditions.push('phone = ?');
      params.push(phone);
    }
    if (after) {
      conditions.push('(since, phone) < (?, ?)');
      params.push(new Date(after.at), after.phone);
    }
    const rows = await new Sql(this.em.fork()).rows<UnsubscribeRow>(
      `select * from unsubscribe where ${conditions.join(' and ')}
       order by since desc, phone desc limit ?`,
      [...params, limit],
    );
    return rows.map(rowToRecord);
  }

  /** ACTIVE unsubscribes after a (account, phone) position, for the reconciler. */
  async activeAfter(
    after: { accountId: string; phone: string },
    limit: number,
  ): Promise<UnsubscribeRecord[]> {
    const rows = await new Sql(this.em.fork()).rows<UnsubscribeRow>(
      `select * from unsubscribe where state = 'ACTIVE' and (account_id, phone) > (?, ?)
       order by account_id, phone limit ?`,
      [after.accountId, after.phone, limit],
    );
    return rows.map(rowToRecord);
  }

  /** The fallback of checks: ACTIVE unsubscribes of these numbers for this account (by primary key). */
  async findActive(accountId: string, phones: readonly string[]): Promise<UnsubscribeRecord[]> {
    const rows = await new Sql(this.em.fork()).rows<UnsubscribeRow>(
      `select * from unsubscribe where account_id = ? and state = 'ACTIVE'
         and phone in (select jsonb_array_elements_text(?::jsonb))`,
      [accountId, JSON.stringify(phones)],
    );
    return rows.map(rowToRecord);
  }
}
