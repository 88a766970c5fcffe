import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Makes RecordFailure idempotent: one row per (message id, code) ever recorded. */
@Entity({ tableName: 'recorded_failure' })
export class RecordedFailureEntity {
  @PrimaryKey({ type: 'text' })
  messageId!: string;

  @PrimaryKey({ type: 'integer' })
  code!: number;

  @Property({ type: 'uuid', nullable: true })
  entryId!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  recordedAt!: Date;
}
