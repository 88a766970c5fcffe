import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A customer's URL and the event types it wants; the secret is stored encrypted. */
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint {
  @PrimaryKey({ type: 'text' })
  endpointId!: string;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text[]' })
  eventTypes!: string[];

  /** AES-256-GCM of the `whsec_…` secret (see SecretBox). */
  @Property({ type: 'text' })
  secretCiphertext!: string;

  @Property({ type: 'boolean' })
  enabled = true;

  @Property({ type: 'text' })
  disabledReason = '';

  /** Since when every attempt failed; null while deliveries succeed. */
  @Property({ type: 'datetime', nullable: true })
  failingSince: Date | null = null;

  /** Deleted endpoints stay (their deliveries stay listed) but receive nothing. */
  @Property({ type: 'datetime', nullable: true })
  deletedAt: Date | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
