import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Sql, type SqlParam } from '@sms/platform-database';
import { insertWebhookEvents } from '@sms/platform-outbox';
import { randomUUID } from 'node:crypto';
import type { BlockEntry, EntryScope, EntrySourceName, EntryStateName } from './block-entry.entity';
import { rowToEntry, type BlockEntryRow } from './block-entry.row';
import { entryCreatedEvent } from '../webhook-events/webhook-events';
import type { FailurePlan } from './entry-rules';

export interface FailureToRecord {
  readonly accountId: string;
  readonly phone: string;
  readonly messageId: string;
  readonly code: number;
  readonly reason: string;
  readonly detail: string;
  readonly occurredAt: Date;
  readonly plan: FailurePlan;
  readonly now: Date;
}

export type FailureOutcomeName = 'CREATED' | 'RENEWED' | 'RECORDED_EXPIRED' | 'DUPLICATE';

export interface RecordedFailure {
  readonly outcome: FailureOutcomeName;
  readonly entry: BlockEntry;
  /** The version whose expiry job the renewal replaced. */
  readonly replacedVersion: number | null;
  /** ACTIVE entries of the same slot found overdue and expired on the way. */
  readonly expiredOverdue: BlockEntry[];
}

export interface ManualEntryToAdd {
  readonly phone: string;
  readonly scope: EntryScope;
  readonly ownerAccountId: string | null;
  readonly reason: string;
  readonly expiresAt: Date | null;
  readonly actor: string;
  readonly now: Date;
}

export interface EntryFilter {
  readonly ownerAccountId?: string;
  readonly phone?: string;
  readonly sendFailureCode?: number;
  readonly source?: EntrySourceName;
  readonly scope?: EntryScope;
  readonly state?: EntryStateName;
  readonly from?: Date;
  readonly to?: Date;
  /** Entries a failure of this message created or renewed (its recorded failures). */
  readonly messageId?: string;
}

/** Keyset position: the last entry of the previous page in (intercepted_at desc, id desc) order. */
export interface EntryPosition {
  readonly at: number;
  readonly id: string;
}

const BUMP = `revision = nextval('index_revision_seq'), updated_at = now()`;

/**
 * The block list in PostgreSQL (the source of truth). Every write that must be atomic is one
 * statement or one transaction; concurrency rests on the partial unique indexes (one ACTIVE
 * entry per slot) and row locks, never on checks in application code.
 */
@Injectable()
export class BlockListRepository {
  constructor(private readonly em: EntityManager) {}

  async recordFailure(failure: FailureToRecord): Promise<RecordedFailure> {
    return this.em.fork().transactional(async (tx) => {
      // Claims (message id, code); a concurrent duplicate waits on the key and then sees it.
      const claimed = await new Sql(tx).rows<{ message_id: string }>(
        `insert into recorded_failure (message_id, code) values (?, ?)
         on conflict do nothing returning message_id`,
        [failure.messageId, failure.code],
      );
      if (claimed.length === 0) {
        const [row] = await new Sql(tx).rows<BlockEntryRow>(
          `select e.* from recorded_failure f join block_entry e on e.id = f.entry_id
           where f.message_id = ? and f.code = ?`,
          [failure.messageId, failure.code],
        );
        if (!row)
          throw new Error(`recorded failure ${failure.messageId}/${failure.code} has no entry`);
        return {
          outcome: 'DUPLICATE',
          entry: rowToEntry(row),
          replacedVersion: null,
          expiredOverdue: [],
        };
      }

      const owner = failure.plan.scope === 'GLOBAL' ? null : failure.accountId;
      const slot = slotCondition(failure.plan.scope);
      const slotParams = failure.plan.scope === 'GLOBAL' ? [failure.phone] : [failure.phone, owner];
      // An ACTIVE entry whose expiry passed but whose job has not run yet is over: close it so
      // this failure starts a new interception instead of renewing a finished one.
      const overdue = await new Sql(tx).rows<BlockEntryRow>(
        `update block_entry set state = 'EXPIRED', ${BUMP}
         where ${slot} and state = 'ACTIVE' and expires_at <= ? returning *`,
        [...slotParams, failure.now],
      );

      let outcome: FailureOutcomeName;
      let row: BlockEntryRow;
      let replacedVersion: number | null = null;
      if (failure.plan.kind === 'record-expired') {
        [row] = (await new Sql(tx).rows<BlockEntryRow>(
          `insert into block_entry (id, phone, scope, owner_account_id, source, send_failure_code,
             reason, detail, message_id, intercepted_at, expires_at, state, created_by)
           values (?, ?, ?, ?, 'SEND_FAILURE', ?, ?, ?, ?, ?, ?, 'EXPIRED', ?) returning *`,
          [
            randomUUID(),
            failure.phone,
            failure.plan.scope,
            failure.accountId,
            failure.code,
            failure.reason,
            failure.detail,
            failure.messageId,
            failure.occurredAt,
            failure.plan.expiresAt,
            failure.accountId,
          ],
        )) as [BlockEntryRow];
        outcome = 'RECORDED_EXPIRED';
      } else {
        // Create, or renew the slot's ACTIVE entry: the later expiry wins (never shorter, an
        // entry without expiry stays so); a manual entry keeps its own source and reason.
        const [upserted] = await new Sql(tx).rows<
          BlockEntryRow & { inserted: boolean; old_version: number }
        >(
          `insert into block_entry as e (id, phone, scope, owner_account_id, source, send_failure_code,
             reason, detail, message_id, intercepted_at, expires_at, state, created_by)
           values (?, ?, ?, ?, 'SEND_FAILURE', ?, ?, ?, ?, ?, ?, 'ACTIVE', ?)
           on conflict ${conflictTarget(failure.plan.scope)} do update set
             expires_at = case when e.expires_at is null then null
                               else greatest(e.expires_at, excluded.expires_at) end,
             send_failure_code = case when e.source = 'MANUAL' then e.send_failure_code
                                      else excluded.send_failure_code end,
             reason = case when e.source = 'MANUAL' then e.reason else excluded.reason end,
             detail = excluded.detail,
             message_id = excluded.message_id,
             version = e.version + 1,
             ${BUMP}
           returning e.*, (xmax = 0) as inserted`,
          [
            randomUUID(),
            failure.phone,
            failure.plan.scope,
            owner ?? failure.accountId,
            failure.code,
            failure.reason,
            failure.detail,
            failure.messageId,
            failure.occurredAt,
            failure.plan.expiresAt,
            failure.accountId,
          ],
        );
        row = upserted!;
        outcome = upserted.inserted ? 'CREATED' : 'RENEWED';
        if (!upserted.inserted) replacedVersion = row.version - 1;
      }
      await new Sql(tx).rows(
        `update recorded_failure set entry_id = ? where message_id = ? and code = ?`,
        [row.id, failure.messageId, failure.code],
      );
      // A new ACTIVE entry is news for its owner's webhooks, committed with it.
      const created = outcome === 'CREATED' ? entryCreatedEvent(rowToEntry(row)) : null;
      if (created) await insertWebhookEvents(new Sql(tx), [created]);
      return {
        outcome,
        entry: rowToEntry(row),
        replacedVersion,
        expiredOverdue: overdue.map(rowToEntry),
      };
    });
  }

  /** A new ACTIVE manual entry, or the slot's existing ACTIVE entry (nothing inserted). */
  async addManual(
    add: ManualEntryToAdd,
  ): Promise<{ created: true; entry: BlockEntry } | { created: false; existing: BlockEntry }> {
    return this.em.fork().transactional(async (tx) => {
      const slot = slotCondition(add.scope);
      const slotParams = add.scope === 'GLOBAL' ? [add.phone] : [add.phone, add.ownerAccountId];
      await new Sql(tx).rows(
        `update block_entry set state = 'EXPIRED', ${BUMP}
         where ${slot} and state = 'ACTIVE' and expires_at <= ?`,
        [...slotParams, add.now],
      );
      const [inserted] = await new Sql(tx).rows<BlockEntryRow>(
        `insert into block_entry (id, phone, scope, owner_account_id, source, send_failure_code,
           reason, detail, message_id, intercepted_at, expires_at, state, created_by)
         values (?, ?, ?, ?, 'MANUAL', null, ?, '', '', ?, ?, 'ACTIVE', ?)
         on conflict ${conflictTarget(add.scope)} do nothing returning *`,
        [
          randomUUID(),
          add.phone,
          add.scope,
          add.ownerAccountId,
          add.reason,
          add.now,
          add.expiresAt,
          add.actor,
        ],
      );
      if (inserted) {
        const entry = rowToEntry(inserted);
        const created = entryCreatedEvent(entry);
        if (created) await insertWebhookEvents(new Sql(tx), [created]);
        return { created: true as const, entry };
      }
      const [existing] = await new Sql(tx).rows<BlockEntryRow>(
        `select * from block_entry where ${slot} and state = 'ACTIVE'`,
        slotParams,
      );
      return { created: false as const, existing: rowToEntry(existing) };
    });
  }

  async findById(id: string): Promise<BlockEntry | null> {
    const [row] = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `select * from block_entry where id = ?`,
      [id],
    );
    return row ? rowToEntry(row) : null;
  }

  /** One page in (intercepted_at desc, id desc) order; one extra row tells whether more follow. */
  async list(
    filter: EntryFilter,
    after: EntryPosition | undefined,
    limit: number,
  ): Promise<BlockEntry[]> {
    const conditions: string[] = [];
    const params: SqlParam[] = [];
    const add = (condition: string, ...values: SqlParam[]) => {
      conditions.push(condition);
      params.push(...values);
    };
    if (filter.ownerAccountId !== undefined) add('owner_account_id = ?', filter.ownerAccountId);
    if (filter.phone !== undefined) add('phone = ?', filter.phone);
    if (filter.sendFailureCode !== undefined) add('send_failure_code = ?', filter.sendFailureCode);
    if (filter.source !== undefined) add('source = ?', filter.source);
    if (filter.scope !== undefined) add('scope = ?', filter.scope);
    if (filter.state !== undefined) add('state = ?', filter.state);
    if (filter.from !== undefined) add('intercepted_at >= ?', filter.from);
    if (filter.to !== undefined) add('intercepted_at < ?', filter.to);
    // By the failure record, not block_entry.message_id: a later renewal overwrites that column,
    // the record of (message, code) → entry stays. Served by recorded_failure's primary key.
    if (filter.messageId !== undefined)
      add('id in (select entry_id from recorded_failure where message_id = ?)', filter.messageId);
    if (after) add('(intercepted_at, id) < (?, ?)', new Date(after.at), after.id);
    const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
    const rows = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `select * from block_entry ${where} order by intercepted_at desc, id desc limit ?`,
      [...params, limit],
    );
    return rows.map(rowToEntry);
  }

  /** DELETED if still ACTIVE; null when the entry was not ACTIVE. */
  async markDeleted(id: string, actor: string): Promise<BlockEntry | null> {
    const [row] = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `update block_entry set state = 'DELETED', deleted_by = ?, deleted_at = now(), ${BUMP}
       where id = ? and state = 'ACTIVE' returning *`,
      [actor, id],
    );
    return row ? rowToEntry(row) : null;
  }

  /** EXPIRED if still this version, ACTIVE and due; null otherwise. */
  async expireIfDue(id: string, version: number): Promise<BlockEntry | null> {
    const [row] = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `update block_entry set state = 'EXPIRED', ${BUMP}
       where id = ? and version = ? and state = 'ACTIVE' and expires_at <= now() returning *`,
      [id, version],
    );
    return row ? rowToEntry(row) : null;
  }

  /** Expires up to `limit` overdue ACTIVE entries (the sweep); concurrent sweeps skip each other's rows. */
  async expireOverdue(limit: number): Promise<BlockEntry[]> {
    const rows = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `with due as (
         select id from block_entry
         where state = 'ACTIVE' and expires_at <= now()
         order by expires_at limit ? for update skip locked)
       update block_entry e set state = 'EXPIRED', revision = nextval('index_revision_seq'), updated_at = now()
       from due where e.id = due.id returning e.*`,
      [limit],
    );
    return rows.map(rowToEntry);
  }

  async countByState(): Promise<Record<EntryStateName, number>> {
    const rows = await new Sql(this.em.fork()).rows<{ state: EntryStateName; count: string }>(
      `select state, count(*) as count from block_entry group by state`,
      [],
    );
    const counts: Record<EntryStateName, number> = { ACTIVE: 0, EXPIRED: 0, DELETED: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }

  /** ACTIVE entries after `afterId` in id order, for the reconciler. */
  async activeAfter(afterId: string, limit: number): Promise<BlockEntry[]> {
    const rows = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `select * from block_entry where state = 'ACTIVE' and id > ? order by id limit ?`,
      [afterId, limit],
    );
    return rows.map(rowToEntry);
  }

  /**
   * The fallback of checks when Redis is unavailable: blocking entries of these numbers for
   * this account, by the active-slot indexes (never a scan).
   */
  async findBlocking(
    phones: readonly string[],
    accountId: string,
    now: Date,
  ): Promise<BlockEntry[]> {
    const rows = await new Sql(this.em.fork()).rows<BlockEntryRow>(
      `select * from block_entry
       where phone in (select jsonb_array_elements_text(?::jsonb)) and state = 'ACTIVE'
         and (expires_at is null or expires_at > ?)
         and (scope = 'GLOBAL' or owner_account_id = ?)`,
      [JSON.stringify(phones), now, accountId],
    );
    return rows.map(rowToEntry);
  }
}

function slotCondition(scope: EntryScope): string {
  return scope === 'GLOBAL'
    ? `scope = 'GLOBAL' and phone = ?`
    : `scope = 'LOCAL' and phone = ? and owner_account_id = ?`;
}

function conflictTarget(scope: EntryScope): string {
  return scope === 'GLOBAL'
    ? `(phone) where state = 'ACTIVE' and scope = 'GLOBAL'`
    : `(phone, owner_account_id) where state = 'ACTIVE' and scope = 'LOCAL'`;
}
