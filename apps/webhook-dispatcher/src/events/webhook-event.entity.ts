import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An event handed over by a source's outbox; its id is the webhook-id receivers see. */
@Entity({ tableName: 'webhook_event' })
export class WebhookEventRecord {
  @PrimaryKey({ type: 'text' })
  eventId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
