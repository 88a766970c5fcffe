import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql, type SqlParam } from '@sms/platform-database';
import { insertWebhookEvents, type WebhookOutboxEvent } from '@sms/platform-outbox';
import type { AttributionKind } from '../attribution/attribution-plan';
import type { KeywordEffectAction } from '../keyword-effects/keyword-effect.entity';
import type { KeywordAction } from '../keywords/keyword-matcher';
import { isStoreUnavailable, ReplyStoreUnavailableError } from './replies.errors';

/** Where the next page starts: strictly older than this (received_at, reply_id). */
export interface PageCursor {
  readonly receivedAtMs: number;
  readonly replyId: string;
}

/** A reply row as stored. */
export interface StoredReply {
  readonly replyId: string;
  readonly receivedAt: Date;
  readonly phone: string;
  readonly content: string;
  readonly operator: string;
  readonly channel: string;
  readonly accountId: string | null;
  readonly messageId: string | null;
  readonly templateId: string | null;
  readonly labels: readonly string[];
  readonly smsUser: string | null;
  readonly attribution: AttributionKind;
  readonly keywordAction: KeywordAction;
  readonly channelAccountId: string | null;
  readonly channelMessageId: string | null;
}

/** An outbox row to write with its reply. */
export interface NewKeywordEffect {
  readonly replyId: string;
  readonly accountId: string;
  readonly phone: string;
  readonly action: KeywordEffectAction;
  readonly occurredAt: Date;
}

/** The attribution a pending reply finally got. */
export interface AttributionUpdate {
  readonly replyId: string;
  readonly receivedAt: Date;
  readonly accountId: string | null;
  readonly messageId: string | null;
  readonly templateId: string | null;
  readonly labels: readonly string[];
  readonly smsUser: string | null;
  readonly attribution: AttributionKind;
}

export interface ReplyListQuery {
  /** null: unattributed replies (operators). */
  readonly accountId: string | null;
  readonly phone: string | undefined;
  readonly templateId: string | undefined;
  readonly label: string | undefined;
  readonly messageId?: string | undefined;
  readonly from: Date;
  readonly to: Date;
  readonly after: PageCursor | undefined;
  readonly limit: number;
}

interface ReplyDbRow {
  reply_id: string;
  received_ms: string | number;
  phone: string;
  content: string;
  operator: string;
  channel: string;
  account_id: string | null;
  message_id: string | null;
  template_id: string | null;
  labels: string[];
  sms_user: string | null;
  attribution: AttributionKind;
  keyword_action: KeywordAction;
  channel_account_id: string | null;
  channel_message_id: string | null;
}

const REPLY_COLUMNS = `reply_id, (extract(epoch from received_at) * 1000)::float8 as received_ms, phone,
  content, operator, channel, account_id, message_id, template_id, labels, sms_user, attribution,
  keyword_action, channel_account_id, channel_message_id`;

/**
 * Replies, their reply-id keys and the outbox, in bulk statements only: a batch is a handful of
 * statements whatever its size (rows travel as one jsonb parameter).
 */
@Injectable()
export class RepliesRepository {
  constructor(private readonly orm: MikroORM) {}

  /** Which of these reply ids are already stored. */
  async existingReplyIds(replyIds: readonly string[]): Promise<Set<string>> {
    if (replyIds.length === 0) return new Set();
    const rows = await this.rows<{ reply_id: string }>(
      this.sql(),
      `select reply_id from reply_key
        where reply_id in (select jsonb_array_elements_text(?::jsonb))`,
      [JSON.stringify(replyIds)],
    );
    return new Set(rows.map((row) => row.reply_id));
  }

  /**
   * Stores replies and their outbox rows (keyword effects, webhook events keyed by reply id) in
   * one transaction. A reply id stored concurrently by someone else loses its ON CONFLICT race
   * and is left out (with its effect and event): the returned set holds the ids this call stored.
   */
  async insertReplies(
    replies: readonly StoredReply[],
    effects: readonly NewKeywordEffect[],
    events: ReadonlyMap<string, WebhookOutboxEvent> = new Map(),
  ): Promise<Set<string>> {
    if (replies.length === 0) return new Set();
    return this.transaction(async (trx) => {
      const keys = await this.rows<{ reply_id: string }>(
        trx,
        `insert into reply_key (reply_id, received_at)
         select k.reply_id, k.received_at
           from jsonb_to_recordset(?::jsonb) as k(reply_id text, received_at timestamptz)
         on conflict (reply_id) do nothing
         returning reply_id`,
        [JSON.stringify(replies.map((r) => ({ reply_id: r.replyId, received_at: r.receivedAt })))],
      );
      const stored = new Set(keys.map((key) => key.reply_id));
      const toInsert = replies.filter((reply) => stored.has(reply.replyId));
      if (toInsert.length === 0) return stored;
      await trx.raw(
        `insert into reply (reply_id, received_at, phone, content, operator, channel, account_id,
           message_id, template_id, labels, sms_user, attribution, keyword_action,
           channel_account_id, channel_message_id)
         select r.reply_id, r.received_at, r.phone, r.content, r.operator, r.channel, r.account_id,
           r.message_id, r.template_id, coalesce(r.labels, '{}'), r.sms_user, r.attribution,
           r.keyword_action, r.channel_account_id, r.channel_message_id
           from jsonb_to_recordset(?::jsonb) as r(reply_id text, received_at timestamptz,
             phone text, content text, operator text, channel text, account_id text,
             message_id text, template_id text, labels text[], sms_user text, attribution text,
             keyword_action text, channel_account_id text, channel_message_id text)`,
        [JSON.stringify(toInsert.map(toDbJson))],
      );
      await this.insertEffects(
        trx,
        effects.filter((effect) => stored.has(effect.replyId)),
      );
      await insertWebhookEvents(
        trx,
        [...events].filter(([replyId]) => stored.has(replyId)).map(([, event]) => event),
      );
      return stored;
    });
  }

  /** Oldest pending attributions first. */
  async pendingAttribution(limit: number): Promise<StoredReply[]> {
    const rows = await this.rows<ReplyDbRow>(
      this.sql(),
      `select ${REPLY_COLUMNS} from reply where attribution = 'PENDING'
        order by received_at limit ?`,
      [limit],
    );
    return rows.map(fromDbRow);
  }

  /**
   * Writes attributions found later, with the outbox rows they make due, in one transaction. The
   * webhook events (keyed by reply id) are written only for the replies this call attributed.
   */
  async applyAttributions(
    updates: readonly AttributionUpdate[],
    effects: readonly NewKeywordEffect[],
    events: ReadonlyMap<string, WebhookOutboxEvent> = new Map(),
  ): Promise<void> {
    if (updates.length === 0 && effects.length === 0) return;
    await this.transaction(async (trx) => {
      if (updates.length > 0) {
        const attributed = await trx.rows<{ reply_id: string }>(
          `update reply set account_id = u.account_id, message_id = u.message_id,
             template_id = u.template_id, labels = coalesce(u.labels, '{}'),
             sms_user = u.sms_user, attribution = u.attribution
             from jsonb_to_recordset(?::jsonb) as u(reply_id text, received_at timestamptz,
               account_id text, message_id text, template_id text, labels text[], sms_user text,
               attribution text)
            where reply.reply_id = u.reply_id and reply.received_at = u.received_at
              and reply.attribution = 'PENDING'
            returning reply.reply_id`,
          [
            JSON.stringify(
              updates.map((u) => ({
                reply_id: u.replyId,
                received_at: u.receivedAt,
                account_id: u.accountId,
                message_id: u.messageId,
                template_id: u.templateId,
                labels: u.labels,
                sms_user: u.smsUser,
                attribution: u.attribution,
              })),
            ),
          ],
        );
        const done = new Set(attributed.map((row) => row.reply_id));
        await insertWebhookEvents(
          trx,
          [...events].filter(([replyId]) => done.has(replyId)).map(([, event]) => event),
        );
      }
      await this.insertEffects(trx, effects);
    });
  }

  /** One page, newest first, strictly after the cursor. */
  async list(query: ReplyListQuery): Promise<StoredReply[]> {
    const where: string[] = ['received_at >= ?', 'received_at < ?'];
    const bindings: SqlParam[] = [query.from, query.to];
    // Operators' unattributed list: no account, or an account the channel named but no message
    // of which was found (attribution UNATTRIBUTED keeps that account).
    if (query.accountId === null)
      where.push(`(account_id is null or attribution = 'UNATTRIBUTED')`);
    else {
      where.push('account_id = ?');
      bindings.push(query.accountId);
    }
    if (query.phone) {
      where.push('phone = ?');
      bindings.push(query.phone);
    }
    if (query.templateId) {
      where.push('template_id = ?');
      bindings.push(query.templateId);
    }
    if (query.label) {
      where.push('labels @> array[?]::text[]');
      bindings.push(query.label);
    }
    if (query.messageId) {
      where.push('message_id = ?');
      bindings.push(query.messageId);
    }
    if (query.after) {
      where.push('(received_at, reply_id) < (?, ?)');
      bindings.push(new Date(query.after.receivedAtMs), query.after.replyId);
    }
    bindings.push(query.limit);
    const rows = await this.rows<ReplyDbRow>(
      this.sql(),
      `select ${REPLY_COLUMNS} from reply where ${where.join(' and ')}
        order by received_at desc, reply_id desc limit ?`,
      bindings,
    );
    return rows.map(fromDbRow);
  }

  private async insertEffects(trx: Sql, effects: readonly NewKeywordEffect[]): Promise<void> {
    if (effects.length === 0) return;
    await trx.raw(
      `insert into keyword_effect (reply_id, account_id, phone, action, occurred_at)
       select e.reply_id, e.account_id, e.phone, e.action, e.occurred_at
         from jsonb_to_recordset(?::jsonb) as e(reply_id text, account_id text, phone text,
           action text, occurred_at timestamptz)
       on conflict (reply_id) do nothing`,
      [
        JSON.stringify(
          effects.map((e) => ({
            reply_id: e.replyId,
            account_id: e.accountId,
            phone: e.phone,
            action: e.action,
            occurred_at: e.occurredAt,
          })),
        ),
      ],
    );
  }

  private async transaction<T>(work: (trx: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.sql().transaction(work);
    } catch (error) {
      throw isStoreUnavailable(error) ? new ReplyStoreUnavailableError() : error;
    }
  }

  private sql(): Sql {
    return Sql.fork(this.orm);
  }

  private async rows<T>(sql: Sql, statement: string, bindings: readonly SqlParam[]): Promise<T[]> {
    try {
      return await sql.rows<T>(statement, bindings);
    } catch (error) {
      throw isStoreUnavailable(error) ? new ReplyStoreUnavailableError() : error;
    }
  }
}

function toDbJson(reply: StoredReply): Record<string, unknown> {
  return {
    reply_id: reply.replyId,
    received_at: reply.receivedAt,
    phone: reply.phone,
    content: reply.content,
    operator: reply.operator,
    channel: reply.channel,
    account_id: reply.accountId,
    message_id: reply.messageId,
    template_id: reply.templateId,
    labels: reply.labels,
    sms_user: reply.smsUser,
    attribution: reply.attribution,
    keyword_action: reply.keywordAction,
    channel_account_id: reply.channelAccountId,
    channel_message_id: reply.channelMessageId,
  };
}

function fromDbRow(row: ReplyDbRow): StoredReply {
  return {
    replyId: row.reply_id,
    receivedAt: new Date(Number(row.received_ms)),
    phone: row.phone,
    content: row.content,
    operator: row.operator,
    channel: row.channel,
    accountId: row.account_id,
    messageId: row.message_id,
    templateId: row.template_id,
    labels: row.labels,
    smsUser: row.sms_user,
    attribution: row.attribution,
    keywordAction: row.keyword_action,
    channelAccountId: row.channel_account_id,
    channelMessageId: row.channel_message_id,
  };
}
