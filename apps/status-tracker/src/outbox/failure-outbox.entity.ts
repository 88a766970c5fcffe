import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** `failure_outbox`: a send failure waiting for interception-service to confirm it. */
@Entity({ tableName: 'failure_outbox' })
export class FailureOutboxEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @PrimaryKey({ type: 'smallint' })
  code!: number;

  /** The RecordFailure request as JSON (dates as ISO strings). */
  @Property({ type: 'json', columnType: 'jsonb' })
  request!: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  /** Delivery round: names the current BullMQ job (a fresh id per re-armed round). */
  @Property({ type: 'integer' })
  round!: number;
}

/** `failure_dead_letter`: a failure interception-service refused for good, kept for operators. */
@Entity({ tableName: 'failure_dead_letter' })
export class FailureDeadLetterEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @PrimaryKey({ type: 'smallint' })
  code!: number;

  @Property({ type: 'json', columnType: 'jsonb' })
  request!: Record<string, unknown>;

  @Property({ type: 'text' })
  error!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  failedAt!: Date;
}
