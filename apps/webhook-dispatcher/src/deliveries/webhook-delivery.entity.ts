import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One event to one endpoint: its attempts so far and what the receiver answered last. */
@Entity({ tableName: 'webhook_delivery' })
export class WebhookDelivery {
  @PrimaryKey({ type: 'text' })
  deliveryId!: string;

  @Property({ type: 'text' })
  endpointId!: string;

  @Property({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  status: DeliveryStatus = 'PENDING';

  @Property({ type: 'integer' })
  attempts = 0;

  /** Names the current BullMQ job: a redeliver or a relay re-arm starts a fresh round. */
  @Property({ type: 'integer' })
  round = 0;

  @Property({ type: 'integer' })
  lastHttpCode = 0;

  @Property({ type: 'text' })
  lastError = '';

  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
