import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Sql } from '@sms/platform-database';
import { WebhookEventRecord } from '../events/webhook-event.entity';
import { WebhookDelivery, type DeliveryStatus } from './webhook-delivery.entity';

export interface NewDelivery {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly eventId: string;
}

/** A delivery taken for an attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly round: number;
  /** Attempts before this one. */
  readonly attempts: number;
  readonly event: {
    readonly eventId: string;
    readonly type: string;
    readonly occurredAt: Date;
    /** `data` as JSON text, straight from PostgreSQL (never parsed: it goes out as it is). */
    readonly dataJson: string;
  };
  readonly endpoint: {
    readonly endpointId: string;
    readonly url: string;
    readonly secretCiphertext: string;
    /** Enabled and not deleted. */
    readonly active: boolean;
    readonly disabledReason: string;
    /** failing_since is set. */
    readonly failing: boolean;
  };
}

/** What one attempt (or its absence) changes in its delivery row. */
export interface DeliveryOutcome {
  readonly deliveryId: string;
  readonly round: number;
  readonly status: DeliveryStatus;
  /** False when no request went out (no free slot, endpoint disabled). */
  readonly attemptCounted: boolean;
  /** Unchanged when undefined. */
  readonly lastHttpCode?: number;
  readonly lastError?: string;
  readonly nextAttemptAt: Date | null;
}

export interface DeliveryPosition {
  readonly at: number;
  readonly deliveryId: string;
}

/** webhook_event and webhook_delivery rows. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly orm: MikroORM) {}

  fork(): EntityManager {
    return this.orm.em.fork();
  }

  /**
   * Stores events (idempotent on event_id) and their deliveries (idempotent on endpoint and
   * event) in one statement, so one round trip per batch. Returns the deliveries created now.
   */
  async store(
    events: readonly Omit<WebhookEventRecord, 'createdAt'>[],
    deliveries: readonly NewDelivery[],
  ): Promise<NewDelivery[]> {
    if (!events.length) return [];
    // The events' insert runs first in the same statement; the deliveries' foreign key sees it.
    const rows = await Sql.fork(this.orm).rows<{
      delivery_id: string;
      endpoint_id: string;
      event_id: string;
    }>(
      `with stored as (
         insert into webhook_event (event_id, type, account_id, occurred_at, data)
         select e.event_id, e.type, e.account_id, e.occurred_at, e.data
           from jsonb_to_recordset(?::jsonb)
             as e(event_id text, type text, account_id text, occurred_at timestamptz, data jsonb)
         on conflict (event_id) do nothing)
       insert into webhook_delivery (delivery_id, endpoint_id, event_id, next_attempt_at)
       select d.delivery_id, d.endpoint_id, d.event_id, now()
         from jsonb_to_recordset(?::jsonb) as d(delivery_id text, endpoint_id text, event_id text)
       on conflict (endpoint_id, event_id) do nothing
       returning delivery_id, endpoint_id, event_id`,
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
        JSON.stringify(
          deliveries.map((delivery) => ({
            delivery_id: delivery.deliveryId,
            endpoint_id: delivery.endpointId,
            event_id: delivery.eventId,
          })),
        ),
      ],
    );
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      endpointId: row.endpoint_id,
      eventId: row.event_id,
    }));
  }

  /**
   * Takes up to `limit` due deliveries, oldest first, with their event and endpoint, in one
   * statement: `skip locked` lets replicas share the work, and pushing next_attempt_at
   * `leaseMs` ahead is the lease. A replica that dies mid-attempt never reports; its deliveries
   * come due again when the lease runs out and are sent again under the same webhook-id.
   * Endpoints in `skipEndpoints` (this replica has deliveries waiting for their slots) are left.
   */
  async claim(
    limit: number,
    leaseMs: number,
    skipEndpoints: readonly string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const rows = await Sql.fork(this.orm).rows<{
      delivery_id: string;
      round: number;
      attempts: number;
      endpoint_id: string;
      event_id: string;
      type: string;
      occurred_at: Date | string;
      data_json: string;
      url: string;
      secret_ciphertext: string;
      enabled: boolean;
      deleted_at: Date | string | null;
      disabled_reason: string;
      failing_since: Date | string | null;
    }>(
      `with picked as (
         select delivery_id from webhook_delivery
          where status = 'PENDING' and next_attempt_at <= now()
            and endpoint_id <> all(?::text[])
          order by next_attempt_at
          limit ?
            for update skip locked)
       update webhook_delivery d
          set next_attempt_at = now() + ? * interval '1 millisecond'
         from picked, webhook_event e, webhook_endpoint p
        where d.delivery_id = picked.delivery_id
          and e.event_id = d.event_id
          and p.endpoint_id = d.endpoint_id
       returning d.delivery_id, d.round, d.attempts, d.endpoint_id, e.event_id, e.type,
                 e.occurred_at, e.data::text as data_json, p.url, p.secret_ciphertext, p.enabled, p.deleted_at,
                 p.disabled_reason, p.failing_since`,
      [[...skipEndpoints], limit, leaseMs],
    );
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      round: Number(row.round),
      attempts: Number(row.attempts),
      event: {
        eventId: row.event_id,
        type: row.type,
        occurredAt: new Date(row.occurred_at),
        dataJson: row.data_json,
      },
      endpoint: {
        endpointId: row.endpoint_id,
        url: row.url,
        secretCiphertext: row.secret_ciphertext,
        active: row.enabled && row.deleted_at === null,
        disabledReason: row.deleted_at === null ? row.disabled_reason : 'deleted',
        failing: row.failing_since !== null,
      },
    }));
  }

  /**
   * Writes the outcomes of many attempts in one statement. Each applies only while the delivery
   * is still in the round it was claimed in (a redeliver meanwhile started a newer one).
   */
  async settle(outcomes: readonly DeliveryOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await Sql.fork(this.orm).query(
      `update webhook_delivery d
          set status = o.status,
              attempts = d.attempts + o.counted,
              last_http_code = coalesce(o.last_http_code, d.last_http_code),
              last_error = coalesce(o.last_error, d.last_error),
              next_attempt_at = o.next_attempt_at,
              updated_at = now()
         from jsonb_to_recordset(?::jsonb) as o(delivery_id text, round integer, status text,
              counted integer, last_http_code integer, last_error text,
              next_attempt_at timestamptz)
        where d.delivery_id = o.delivery_id and d.round = o.round`,
      [
        JSON.stringify(
          outcomes.map((outcome) => ({
            delivery_id: outcome.deliveryId,
            round: outcome.round,
            status: outcome.status,
            counted: outcome.attemptCounted ? 1 : 0,
            last_http_code: outcome.lastHttpCode ?? null,
            last_error: outcome.lastError ?? null,
            next_attempt_at: outcome.nextAttemptAt?.toISOString() ?? null,
          })),
        ),
      ],
    );
  }

  find(em: EntityManager, deliveryId: string): Promise<WebhookDelivery | null> {
    return em.findOne(WebhookDelivery, { deliveryId });
  }

  event(em: EntityManager, eventId: string): Promise<WebhookEventRecord | null> {
    return em.findOne(WebhookEventRecord, { eventId });
  }

  /** Newest first, keyset by (created_at, delivery_id). */
  page(
    em: EntityManager,
    endpointId: string,
    limit: number,
    after?: DeliveryPosition,
  ): Promise<WebhookDelivery[]> {
    const at = after ? new Date(after.at) : undefined;
    return em.find(
      WebhookDelivery,
      at && after
        ? {
            endpointId,
            $or: [
              { createdAt: { $lt: at } },
              { createdAt: at, deliveryId: { $lt: after.deliveryId } },
            ],
          }
        : { endpointId },
      { orderBy: { createdAt: 'desc', deliveryId: 'desc' }, limit },
    );
  }

  /** Event types of these events (for the deliveries list). */
  async eventTypes(em: EntityManager, eventIds: readonly string[]): Promise<Map<string, string>> {
    if (!eventIds.length) return new Map();
    const rows = await em.find(
      WebhookEventRecord,
      { eventId: { $in: [...eventIds] } },
      { fields: ['eventId', 'type'] },
    );
    return new Map(rows.map((row) => [row.eventId, row.type]));
  }

  /** Starts the next round of a delivery still in `round`; false when it moved on. */
  async nextRound(deliveryId: string, round: number, status?: 'PENDING'): Promise<boolean> {
    const updated = await this.fork().nativeUpdate(
      WebhookDelivery,
      status ? { deliveryId, round, status } : { deliveryId, round },
      { round: round + 1, status: 'PENDING', nextAttemptAt: new Date(), updatedAt: new Date() },
    );
    return updated === 1;
  }

  async pendingCount(): Promise<number> {
    return this.fork().count(WebhookDelivery, { status: 'PENDING' });
  }
}
