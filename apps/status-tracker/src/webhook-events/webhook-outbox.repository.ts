import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import type { WebhookOutboxEvent } from './status-change-event';

export interface ClaimedEvent extends WebhookOutboxEvent {
  readonly id: number;
}

/**
 * webhook_outbox: `message.status` events written in the ingest transaction (one statement per
 * batch), removed only once the webhook-dispatcher confirmed them; events it refused for good go
 * to webhook_dead_letter.
 */
@Injectable()
export class WebhookOutboxRepository {
  constructor(private readonly orm: MikroORM) {}

  /** SQL over a fresh fork: one per call or job, never a global context. */
  sql(): Sql {
    return Sql.fork(this.orm);
  }

  async insert(trx: Sql, events: readonly WebhookOutboxEvent[]): Promise<void> {
    if (!events.length) return;
    await trx.raw(
      `insert into webhook_outbox (event_id, type, account_id, occurred_at, data)
         select r.event_id, r.type, r.account_id, r.occurred_at, r.data
           from jsonb_to_recordset(?::jsonb)
             as r(event_id text, type text, account_id text, occurred_at timestamptz, data jsonb)`,
      [
        JSON.stringify(
          events.map((event) => ({
            event_id: event.eventId,
            type: event.type,
            account_id: event.accountId,
            occurred_at: event.occurredAt.toISOString(),
            data: event.data,
          })),
        ),
      ],
    );
  }

  /**
   * Oldest events first, locked for this relay round (another replica's relay skips them); the
   * lock ends with `trx`.
   */
  async claim(trx: Sql, limit: number): Promise<ClaimedEvent[]> {
    const result = await trx.raw<{
      rows: {
        id: string;
        event_id: string;
        type: string;
        account_id: string;
        occurred_at: Date;
        data: Record<string, unknown>;
      }[];
    }>(
      `select id, event_id, type, account_id, occurred_at, data from webhook_outbox
        order by id limit ? for update skip locked`,
      [limit],
    );
    return result.rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      type: row.type,
      accountId: row.account_id,
      occurredAt: new Date(row.occurred_at),
      data: row.data,
    }));
  }

  /** The dispatcher confirmed these rows; the refused ones move to the dead-letter list. */
  async settle(
    trx: Sql,
    ids: readonly number[],
    refused: readonly { eventId: string; reason: string }[],
  ): Promise<void> {
    if (refused.length) {
      await trx.raw(
        `insert into webhook_dead_letter (event_id, event, error, created_at)
           select o.event_id, to_jsonb(o) - 'id', r.reason, o.created_at
             from webhook_outbox o
             join jsonb_to_recordset(?::jsonb) as r(event_id text, reason text)
               on r.event_id = o.event_id
            where o.id = any(?::bigint[])
         on conflict (event_id) do update set error = excluded.error, failed_at = now()`,
        [
          JSON.stringify(
            refused.map((r) => ({ event_id: r.eventId, reason: r.reason.slice(0, 2000) })),
          ),
          [...ids],
        ],
      );
    }
    await trx.raw(`delete from webhook_outbox where id = any(?::bigint[])`, [[...ids]]);
  }

  async depth(): Promise<{ waiting: number; deadLetters: number }> {
    const result = await this.sql().raw<{ rows: { waiting: string; dead: string }[] }>(
      `select (select count(*) from webhook_outbox) as waiting,
              (select count(*) from webhook_dead_letter) as dead`,
    );
    return {
      waiting: Number(result.rows[0]?.waiting ?? 0),
      deadLetters: Number(result.rows[0]?.dead ?? 0),
    };
  }
}
