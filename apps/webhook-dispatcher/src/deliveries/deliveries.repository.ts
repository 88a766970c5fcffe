import { MikroORM, type EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { WebhookEventRecord } from '../events/webhook-event.entity';
import { WebhookDelivery } from './webhook-delivery.entity';

export interface NewDelivery {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly eventId: string;
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
   * event) in one transaction. Returns the deliveries created now: only those get a job.
   */
  async store(
    events: readonly Omit<WebhookEventRecord, 'createdAt'>[],
    deliveries: readonly NewDelivery[],
  ): Promise<NewDelivery[]> {
    if (!events.length) return [];
    const now = new Date();
    return this.fork().transactional(async (base) => {
      const em = base as unknown as SqlEntityManager;
      await em
        .createQueryBuilder(WebhookEventRecord)
        .insert(events.map((event) => ({ ...event, createdAt: now })))
        .onConflict('event_id')
        .ignore()
        .execute();
      if (!deliveries.length) return [];
      const created = await em
        .createQueryBuilder(WebhookDelivery)
        .insert(
          deliveries.map((delivery) => ({
            ...delivery,
            status: 'PENDING' as const,
            attempts: 0,
            round: 0,
            lastHttpCode: 0,
            lastError: '',
            nextAttemptAt: now,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflict(['endpoint_id', 'event_id'])
        .ignore()
        .returning(['delivery_id', 'endpoint_id', 'event_id'])
        .execute<{ delivery_id: string; endpoint_id: string; event_id: string }[]>('all', false);
      return created.map((row) => ({
        deliveryId: row.delivery_id,
        endpointId: row.endpoint_id,
        eventId: row.event_id,
      }));
    });
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

  /** Pending deliveries overdue since before `before`: the relay checks their jobs. */
  async overdue(
    before: Date,
    limit: number,
    afterId: string,
  ): Promise<{ deliveryId: string; round: number }[]> {
    return this.fork().find(
      WebhookDelivery,
      { status: 'PENDING', nextAttemptAt: { $lt: before }, deliveryId: { $gt: afterId } },
      { orderBy: { deliveryId: 'asc' }, limit, fields: ['deliveryId', 'round'] },
    );
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
