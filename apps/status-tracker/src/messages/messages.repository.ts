import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { MESSAGE_STATUS_NUMBERS } from '@sms/domain-catalogue';
import { DailyPartitions, Sql, type SqlParam } from '@sms/platform-database';
import { MessageEntity, MessageKeyEntity, messageRowOf, ParkedEventEntity } from './message.entity';
import {
  MESSAGE_CHANGING_COLUMNS,
  MESSAGE_COLUMNS,
  MESSAGE_SOURCE_COLUMNS,
  messageColumnArrays,
  messageSourceColumn,
  type MessageRow,
} from './message-record';
import type { StatusEvent } from './message-state-machine';
import { rollupCanServe, type StatsDelta } from './message-stats-rollup';

/** One parked receipt as stored: the parsed event, dates as ISO strings. */
export interface ParkedEventRow {
  message_id: string;
  event_key: string;
  event: StatusEvent;
  parked_at: Date;
}

export interface LockedKey {
  /** Null while the message is not accepted (only parked receipts so far). */
  readonly requestTime: Date | null;
  /** The key row was there before this transaction. */
  readonly existed: boolean;
}

export interface FailureOutboxRow {
  messageId: string;
  code: number;
  request: Record<string, unknown>;
}

export interface MessageFilter {
  /** Undefined only for an operator's search across accounts. */
  readonly accountId: string | undefined;
  readonly phone?: string;
  readonly templateId?: string;
  readonly templateType?: number;
  readonly label?: string;
  readonly smsUser?: string;
  readonly status?: number;
  /** Any of these statuses; absent or empty does not filter. */
  readonly statuses?: readonly number[];
  readonly processFailedReason?: number;
  readonly sendFailureCode?: number;
  readonly from: Date;
  readonly to?: Date;
}

export interface LatestLookup {
  readonly phone: string;
  readonly accountId: string;
  /** '' = any message. */
  readonly messageId: string;
  readonly from: Date;
  readonly to: Date;
}

/** One group of countMessages. */
export interface MessageCountRow {
  readonly bucket: Date;
  readonly status: number;
  readonly processFailedReason: number | null;
  readonly sendFailureCode: number | null;
  readonly messages: number;
  readonly entries: number;
}

/** The WHERE of every query under a MessageFilter: lists and counts see the same rows. */
function filterSql(filter: MessageFilter): { where: string[]; params: SqlParam[] } {
  const where: string[] = ['request_time >= ?'];
  const params: SqlParam[] = [filter.from];
  if (filter.accountId !== undefined) {
    where.unshift('account_id = ?');
    params.unshift(filter.accountId);
  }
  const add = (sql: string, value: SqlParam) => {
    where.push(sql);
    params.push(value);
  };
  if (filter.to) add('request_time < ?', filter.to);
  if (filter.phone) add('recipient = ?', filter.phone);
  if (filter.templateId) add('template_id = ?', filter.templateId);
  if (filter.templateType) add('template_type = ?', filter.templateType);
  if (filter.label) add('labels @> array[?]::text[]', filter.label);
  if (filter.smsUser) add('sms_user = ?', filter.smsUser);
  if (filter.status) add('status = ?', filter.status);
  if (filter.statuses?.length) add('status = any(?::smallint[])', [...filter.statuses]);
  if (filter.processFailedReason) add('process_failed_reason = ?', filter.processFailedReason);
  if (filter.sendFailureCode) add('send_failure_code = ?', filter.sendFailureCode);
  return { where, params };
}

const HOUR_MS = 3_600_000;

interface CountSqlRow {
  bucket: Date | string;
  status: number;
  process_failed_reason: number | null;
  send_failure_code: number | null;
  messages: string;
  entries: string;
}

function toCountRow(row: CountSqlRow): MessageCountRow {
  return {
    bucket: row.bucket instanceof Date ? row.bucket : new Date(row.bucket),
    status: row.status,
    processFailedReason: row.process_failed_reason,
    sendFailureCode: row.send_failure_code,
    messages: Number(row.messages),
    entries: Number(row.entries),
  };
}

/** MikroORM's pg driver hands timestamps over as strings: the rows carry Dates. */
function withDates(row: MessageRow): MessageRow {
  const date = (value: Date | string | null): Date | null =>
    value === null ? null : value instanceof Date ? value : new Date(value);
  return {
    ...row,
    request_time: date(row.request_time) as Date,
    channel_send_time: date(row.channel_send_time),
    receipt_time: date(row.receipt_time),
    update_time: date(row.update_time) as Date,
  };
}

/** `message` is partitioned by day on request_time. */
const MESSAGE_PARTITIONS = new DailyPartitions('message');

const LIST_COLUMNS = MESSAGE_COLUMNS.filter((column) => column !== 'send_log').join(', ');

/**
 * The partitioned message store. Ordinary reads and writes (a message by id, the sweeps, the
 * parked receipts' bookkeeping) use the entities of message.entity.ts. Raw SQL (`Sql`) only where
 * a benchmark keeps it, each method naming its benchmark: the ingest statements
 * (bench/status/ingest.ts: one statement per kind of write, jsonb_to_recordset / unnest, never
 * one per event), listMessages (bench/status/list-messages.ts), the counts
 * (bench/status/stats.ts), the batch lookups reply attribution waits on (bench/reply/ingest.ts),
 * and the partition DDL.
 */
@Injectable()
export class MessagesRepository {
  /** listMessages's statement, on the connection without a fork per call (see outsideTransactions). */
  private readonly reads: Sql;

  constructor(private readonly em: EntityManager) {
    this.reads = Sql.outsideTransactions(em);
  }

  /** SQL over a fresh fork: one per call or job, never a global context. */
  sql(): Sql {
    return new Sql(this.em.fork());
  }

  /**
   * Creates the partitions of these days (YYYY-MM-DD) that do not exist yet; answers those.
   * Partition DDL, through the platform's DailyPartitions (safe to race with another replica).
   */
  async ensurePartitions(days: readonly string[]): Promise<string[]> {
    if (!days.length) return [];
    const sql = this.sql();
    const existing = new Set((await MESSAGE_PARTITIONS.list(sql)).map((day) => day.getTime()));
    const created: string[] = [];
    for (const day of [...new Set(days)].sort()) {
      const date = new Date(`${day}T00:00:00Z`);
      if (existing.has(date.getTime())) continue;
      await MESSAGE_PARTITIONS.create(sql, date);
      created.push(day);
    }
    return created;
  }

  /** Days (YYYY-MM-DD) that have a partition, oldest first. */
  async listPartitionDays(): Promise<string[]> {
    const days = await MESSAGE_PARTITIONS.list(this.sql());
    return days.map((day) => day.toISOString().slice(0, 10));
  }

  /**
   * Drops a day's partition and, in the same transaction, that day's statistics rollup rows
   * (the rollup is only ever touched by SQL: bench/status/ingest.ts, bench/status/stats.ts).
   */
  async dropPartition(day: string): Promise<void> {
    const date = new Date(`${day}T00:00:00Z`);
    await this.sql().transaction(async (trx) => {
      await MESSAGE_PARTITIONS.drop(trx, date);
      await trx.raw(
        `delete from message_stats_hourly
          where hour >= (?::date)::timestamp at time zone 'UTC'
            and hour < (?::date + 1)::timestamp at time zone 'UTC'`,
        [day, day],
      );
    });
  }

  /** Forgets ids of messages older than the window, a bounded chunk at a time. */
  async deleteKeysBefore(cutoff: Date, chunk = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const em = this.em.fork();
      const keys = await em
        .createQueryBuilder(MessageKeyEntity)
        .select('messageId')
        .where({ requestTime: { $lt: cutoff } })
        .limit(chunk)
        .execute('all');
      if (keys.length) {
        total += await em.nativeDelete(MessageKeyEntity, {
          messageId: { $in: keys.map((key) => key.messageId) },
        });
      }
      if (keys.length < chunk) return total;
    }
  }

  // ---- ingest, inside one transaction: raw for bench/status/ingest.ts ----

  /**
   * Locks the key row of every id (creating the missing ones), so two batches sharing messages
   * queue behind each other. Existing rows are locked with SELECT … FOR UPDATE in id order;
   * rows this transaction inserts are locked by the insert itself. Row locks, not advisory
   * locks: 1,000 per batch would overflow the shared lock table. `initial` gives the request
   * time and account of ids whose ACCEPTED is in the batch, so a new key is written once.
   */
  async lockKeys(
    trx: Sql,
    ids: readonly string[],
    initial: ReadonlyMap<string, { requestTime: Date; accountId: string }>,
  ): Promise<Map<string, LockedKey>> {
    const sorted = [...ids].sort();
    const keys = new Map<string, LockedKey>();
    const lock = async (lockIds: string[]) => {
      const result = await trx.raw<{
        rows: { message_id: string; request_time: Date | string | null }[];
      }>(
        `select message_id, request_time from message_key
          where message_id = any(?::text[]) order by message_id for update`,
        [lockIds],
      );
      for (const row of result.rows) {
        keys.set(row.message_id, {
          requestTime: row.request_time === null ? null : new Date(row.request_time),
          existed: true,
        });
      }
    };
    await lock(sorted);
    const missing = sorted.filter((id) => !keys.has(id));
    if (!missing.length) return keys;
    const inserted = await trx.raw<{ rows: { message_id: string }[] }>(
      `insert into message_key (message_id, request_time, account_id)
         select id, t, a from unnest(?::text[], ?::timestamptz[], ?::text[]) as k(id, t, a)
          order by id
       on conflict (message_id) do nothing
       returning message_id`,
      [
        missing,
        // Null elements are sent as SQL NULL.
        missing.map((id) => initial.get(id)?.requestTime ?? null),
        missing.map((id) => initial.get(id)?.accountId ?? null),
      ],
    );
    for (const row of inserted.rows) {
      keys.set(row.message_id, {
        requestTime: initial.get(row.message_id)?.requestTime ?? null,
        existed: false,
      });
    }
    // Inserted meanwhile by a concurrent batch (ON CONFLICT waited for it to commit): lock them.
    const raced = missing.filter((id) => !keys.has(id));
    if (raced.length) await lock(raced);
    return keys;
  }

  async loadMessages(
    trx: Sql,
    keys: readonly { messageId: string; requestTime: Date }[],
  ): Promise<MessageRow[]> {
    if (!keys.length) return [];
    const times = keys.map((key) => key.requestTime.getTime());
    // The explicit time range lets PostgreSQL prune partitions at executor start-up.
    const result = await trx.raw<{ rows: MessageRow[] }>(
      `select m.* from message m
         join unnest(?::text[], ?::timestamptz[]) as k(id, t)
           on m.message_id = k.id and m.request_time = k.t
        where m.request_time between ? and ?`,
      [
        keys.map((key) => key.messageId),
        keys.map((key) => key.requestTime),
        new Date(Math.min(...times)),
        new Date(Math.max(...times)),
      ],
    );
    return result.rows.map(withDates);
  }

  async loadParked(trx: Sql, ids: readonly string[]): Promise<ParkedEventRow[]> {
    if (!ids.length) return [];
    const result = await trx.raw<{ rows: ParkedEventRow[] }>(
      `select message_id, event_key, event, parked_at from parked_event
        where message_id = any(?::text[])`,
      [[...ids]],
    );
    return result.rows;
  }

  async insertMessages(trx: Sql, rows: readonly MessageRow[]): Promise<void> {
    if (!rows.length) return;
    const { source, bindings } = messageColumnArrays(rows);
    await trx.raw(
      `insert into message (${MESSAGE_COLUMNS.join(', ')})
         select ${MESSAGE_SOURCE_COLUMNS.join(', ')} from ${source}`,
      bindings as SqlParam[],
    );
  }

  /** Locates messages whose key row was created before they were (parked receipts first). */
  async locateKeys(trx: Sql, rows: readonly MessageRow[]): Promise<void> {
    if (!rows.length) return;
    await trx.raw(
      `update message_key k set request_time = r.t, account_id = r.a
         from unnest(?::text[], ?::timestamptz[], ?::text[]) as r(id, t, a)
        where k.message_id = r.id`,
      [
        rows.map((r) => r.message_id),
        rows.map((r) => r.request_time),
        rows.map((r) => r.account_id),
      ],
    );
  }

  async updateMessages(trx: Sql, rows: readonly MessageRow[]): Promise<void> {
    if (!rows.length) return;
    const times = rows.map((row) => row.request_time.getTime());
    const assignments = MESSAGE_CHANGING_COLUMNS.map(
      (column) => `${column} = ${messageSourceColumn(column)}`,
    ).join(', ');
    const { source, bindings } = messageColumnArrays(rows, [
      'message_id',
      'request_time',
      ...MESSAGE_CHANGING_COLUMNS,
    ]);
    await trx.raw(
      `update message m set ${assignments}
         from ${source}
        where m.message_id = r.message_id and m.request_time = r.request_time
          and m.request_time between ? and ?`,
      [...(bindings as SqlParam[]), new Date(Math.min(...times)), new Date(Math.max(...times))],
    );
  }

  /**
   * Adds a batch's rollup changes: one upsert, rows in the deltas' order (sorted by key, so two
   * batches touching the same rollup rows lock them in the same order). Run last in the ingest
   * transaction, so the rollup rows stay locked as briefly as possible.
   */
  async applyStatsDeltas(trx: Sql, deltas: readonly StatsDelta[]): Promise<void> {
    if (!deltas.length) return;
    await trx.raw(
      `insert into message_stats_hourly as s (account_id, hour, status, process_failed_reason,
           send_failure_code, template_type, sms_user, messages, entries)
         select a, h, st, r, c, tt, u, n, e
           from unnest(?::text[], ?::timestamptz[], ?::smallint[], ?::smallint[], ?::smallint[],
                       ?::smallint[], ?::text[], ?::bigint[], ?::bigint[])
                with ordinality as d(a, h, st, r, c, tt, u, n, e, position)
          order by position
       on conflict (account_id, hour, status, process_failed_reason, send_failure_code,
                    template_type, sms_user)
       do update set messages = s.messages + excluded.messages,
                     entries = s.entries + excluded.entries`,
      [
        deltas.map((d) => d.accountId),
        deltas.map((d) => d.hour),
        deltas.map((d) => d.status),
        deltas.map((d) => d.processFailedReason),
        deltas.map((d) => d.sendFailureCode),
        deltas.map((d) => d.templateType),
        deltas.map((d) => d.smsUser),
        deltas.map((d) => d.messages),
        deltas.map((d) => d.entries),
      ],
    );
  }

  async parkEvents(trx: Sql, events: readonly StatusEvent[], parkedAt: Date): Promise<void> {
    if (!events.length) return;
    await trx.raw(
      `insert into parked_event (message_id, event_key, event, parked_at)
         select r.message_id, r.event_key, r.event, ?
           from jsonb_to_recordset(?::jsonb) as r(message_id text, event_key text, event jsonb)
       on conflict do nothing`,
      [
        parkedAt,
        JSON.stringify(
          events.map((event) => ({ message_id: event.messageId, event_key: event.key, event })),
        ),
      ],
    );
  }

  async deleteParked(trx: Sql, keys: readonly { messageId: string; key: string }[]): Promise<void> {
    if (!keys.length) return;
    await trx.raw(
      `delete from parked_event p using unnest(?::text[], ?::text[]) as d(id, k)
        where p.message_id = d.id and p.event_key = d.k`,
      [keys.map((k) => k.messageId), keys.map((k) => k.key)],
    );
  }

  async insertOutbox(trx: Sql, rows: readonly FailureOutboxRow[]): Promise<void> {
    if (!rows.length) return;
    await trx.raw(
      `insert into failure_outbox (message_id, code, request)
         select r.message_id, r.code, r.request
           from jsonb_to_recordset(?::jsonb) as r(message_id text, code smallint, request jsonb)
       on conflict do nothing`,
      [
        JSON.stringify(
          rows.map((row) => ({ message_id: row.messageId, code: row.code, request: row.request })),
        ),
      ],
    );
  }

  // ---- sweeps ----

  /** Ids of messages still WAIT_RESULT since before `sentBefore`, at most `limit`. */
  async findTimedOut(sentBefore: Date, notBefore: Date, limit: number): Promise<string[]> {
    const rows = await this.em
      .fork()
      .createQueryBuilder(MessageEntity)
      .select('messageId')
      .where({
        status: MESSAGE_STATUS_NUMBERS.WAIT_RESULT,
        channelSendTime: { $lt: sentBefore },
        requestTime: { $gte: notBefore },
      })
      .orderBy({ channelSendTime: 'asc' })
      .limit(limit)
      .execute('all');
    return rows.map((row) => row.messageId);
  }

  /** Drops receipts parked before `parkedBefore` and the keys of messages that never came. */
  async expireParked(parkedBefore: Date): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      const dropped = await em.nativeDelete(ParkedEventEntity, {
        parkedAt: { $lt: parkedBefore },
      });
      await em
        .createQueryBuilder(MessageKeyEntity, 'k')
        .delete({ requestTime: null, createdAt: { $lt: parkedBefore } })
        .andWhere('not exists (select 1 from parked_event p where p.message_id = k.message_id)')
        .execute();
      return dropped;
    });
  }

  countParked(): Promise<number> {
    return this.em.fork().count(ParkedEventEntity);
  }

  // ---- queries ----

  /** One message by id, if it belongs to the account and lies inside the retention window. */
  async findMessage(
    accountId: string | undefined,
    messageId: string,
    notBefore: Date,
  ): Promise<MessageRow | undefined> {
    const em = this.em.fork();
    // The key row says which day's partition holds the message.
    const key = await em.findOne(MessageKeyEntity, { messageId }, { disableIdentityMap: true });
    if (!key?.requestTime || key.requestTime < notBefore) return undefined;
    const message = await em.findOne(
      MessageEntity,
      {
        messageId,
        requestTime: atInstant(key.requestTime),
        ...(accountId !== undefined && { accountId }),
      },
      { disableIdentityMap: true },
    );
    return message ? messageRowOf(message) : undefined;
  }

  /**
   * The messages of `refs` (account and id both matching), by position in `refs`. Raw: reply
   * attribution asks it once per batch of 500 (bench/reply/ingest.ts), and the one join through
   * message_key took half the time of the entity reads (key rows, then one query per day), measured
   * with 500 refs: p50 37-72 ms against 89-153 ms (load average 12-16).
   */
  async findMessages(
    refs: readonly { readonly accountId: string; readonly messageId: string }[],
    notBefore: Date,
  ): Promise<Map<number, MessageRow>> {
    const result = await this.sql().raw<{ rows: (MessageRow & { position: string })[] }>(
      `select m.*, r.position from unnest(?::text[], ?::text[]) with ordinality
                as r(account_id, message_id, position)
         join message_key k on k.message_id = r.message_id
         join message m on m.message_id = k.message_id and m.request_time = k.request_time
        where m.account_id = r.account_id and m.request_time >= ?`,
      [refs.map((ref) => ref.accountId), refs.map((ref) => ref.messageId), notBefore],
    );
    const found = new Map<number, MessageRow>();
    for (const row of result.rows) {
      const { position, ...message } = row;
      found.set(Number(position) - 1, withDates(message));
    }
    return found;
  }

  /** Raw for bench/status/list-messages.ts: a keyset page over the day partitions. */
  async listMessages(
    filter: MessageFilter,
    after: { requestTime: Date; messageId: string } | undefined,
    limit: number,
  ): Promise<MessageRow[]> {
    const { where, params } = filterSql(filter);
    if (after) {
      where.push('(request_time, message_id) < (?, ?)');
      params.push(after.requestTime, after.messageId);
    }
    params.push(limit);
    const result = await this.reads.raw<{ rows: MessageRow[] }>(
      `select ${LIST_COLUMNS} from message
        where ${where.join(' and ')}
        order by request_time desc, message_id desc
        limit ?`,
      params,
    );
    return result.rows.map(withDates);
  }

  /**
   * Raw for bench/status/stats.ts.
   * Counts per (bucket, status, reason, code) of exactly the rows listMessages would return for
   * the same filter (the same WHERE), from the message rows: the plan for filters the rollup
   * does not have (phone, template id, label).
   */
  async countMessages(filter: MessageFilter, bucket: 'day' | 'hour'): Promise<MessageCountRow[]> {
    const { where, params } = filterSql(filter);
    const result = await this.sql().raw<{ rows: CountSqlRow[] }>(
      // date_bin from a UTC midnight: plain arithmetic, where date_trunc(…, 'UTC') converts
      // time zones row by row.
      `select date_bin(interval '1 ${bucket === 'day' ? 'day' : 'hour'}', request_time,
                       timestamptz '2000-01-01 00:00:00+00') as bucket,
              status, process_failed_reason, send_failure_code,
              count(*) as messages, sum(entries) as entries
         from message
        where ${where.join(' and ')}
        group by 1, 2, 3, 4`,
      params,
    );
    return result.rows.map(toCountRow);
  }

  /**
   * Raw for bench/status/stats.ts.
   * countMessages answered from the hourly rollup for the whole UTC hours of the period, and from
   * the message rows (the same WHERE as listMessages) for the partial hours at its two edges, in
   * one statement (one snapshot). Only for filters that are all rollup dimensions
   * (rollupCanServe); a period without a whole hour is counted from the rows alone.
   */
  async countMessagesFromRollup(
    filter: MessageFilter,
    bucket: 'day' | 'hour',
  ): Promise<MessageCountRow[]> {
    if (!rollupCanServe(filter)) throw new Error('the rollup cannot serve this filter');
    const firstHour = new Date(Math.ceil(filter.from.getTime() / HOUR_MS) * HOUR_MS);
    const endHour = filter.to && new Date(Math.floor(filter.to.getTime() / HOUR_MS) * HOUR_MS);
    if (endHour && endHour <= firstHour) return this.countMessages(filter, bucket);

    const rollup: string[] = ['hour >= ?'];
    const params: SqlParam[] = [firstHour];
    const add = (sql: string, value: SqlParam) => {
      rollup.push(sql);
      params.push(value);
    };
    if (filter.accountId !== undefined) add('account_id = ?', filter.accountId);
    if (endHour) add('hour < ?', endHour);
    if (filter.templateType) add('template_type = ?', filter.templateType);
    if (filter.smsUser) add('sms_user = ?', filter.smsUser);
    if (filter.status) add('status = ?', filter.status);
    if (filter.statuses?.length) add('status = any(?::smallint[])', [...filter.statuses]);
    if (filter.processFailedReason) add('process_failed_reason = ?', filter.processFailedReason);
    if (filter.sendFailureCode) add('send_failure_code = ?', filter.sendFailureCode);
    const parts = [
      `select hour as t, status, nullif(process_failed_reason, 0) as r,
              nullif(send_failure_code, 0) as c, messages as n, entries as e
         from message_stats_hourly where ${rollup.join(' and ')}`,
    ];
    const edge = (from: Date, to: Date) => {
      const { where, params: edgeParams } = filterSql({ ...filter, from, to });
      parts.push(
        `select request_time, status, process_failed_reason, send_failure_code, 1::bigint,
                entries::bigint
           from message where ${where.join(' and ')}`,
      );
      params.push(...edgeParams);
    };
    if (filter.from < firstHour) edge(filter.from, firstHour);
    if (endHour && filter.to && endHour < filter.to) edge(endHour, filter.to);
    const result = await this.sql().raw<{ rows: CountSqlRow[] }>(
      // Groups whose rollup rows went back to zero are not groups of any message.
      `select date_bin(interval '1 ${bucket === 'day' ? 'day' : 'hour'}', t,
                       timestamptz '2000-01-01 00:00:00+00') as bucket,
              status, r as process_failed_reason, c as send_failure_code,
              sum(n) as messages, sum(e) as entries
         from (${parts.join(' union all ')}) x
        group by 1, 2, 3, 4
       having sum(n) <> 0`,
      params,
    );
    return result.rows.map(toCountRow);
  }

  /**
   * For each lookup (by position), the latest message to the phone in its window. Raw: up to
   * 1,000 lookups in one statement (a lateral "latest one" per lookup), which the ORM would
   * make 1,000 queries; reply attribution waits on it (bench/reply/ingest.ts).
   */
  async findLatest(lookups: readonly LatestLookup[]): Promise<Map<number, MessageRow>> {
    if (!lookups.length) return new Map();
    const result = await this.sql().raw<{ rows: (MessageRow & { lookup: number })[] }>(
      `select l.lookup, m.*
         from unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[])
              with ordinality as l(phone, account_id, window_from, window_to, message_id, lookup)
         cross join lateral (
           select ${LIST_COLUMNS} from message m
            where m.recipient = l.phone
              and (l.account_id = '' or m.account_id = l.account_id)
              and (l.message_id = '' or m.message_id = l.message_id)
              and m.request_time > l.window_from and m.request_time <= l.window_to
              and m.status <> ${MESSAGE_STATUS_NUMBERS.PROCESS_FAILED}
            order by m.request_time desc, m.message_id desc
            limit 1) m`,
      [
        lookups.map((l) => l.phone),
        lookups.map((l) => l.accountId),
        lookups.map((l) => l.from),
        lookups.map((l) => l.to),
        lookups.map((l) => l.messageId),
      ],
    );
    return new Map(result.rows.map((row) => [Number(row.lookup) - 1, withDates(row)]));
  }
}

/**
 * Dates carry milliseconds, a timestamptz microseconds: the millisecond that holds the instant
 * (the ingest only writes whole milliseconds, but the condition stays right either way).
 */
function atInstant(at: Date): { $gte: Date; $lt: Date } {
  return { $gte: at, $lt: new Date(at.getTime() + 1) };
}
