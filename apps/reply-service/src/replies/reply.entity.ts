import { ArrayType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { AttributionKind } from '../attribution/attribution-plan';
import type { KeywordAction } from '../keywords/keyword-matcher';

/**
 * A row of the day-partitioned `reply` table (its primary key holds the partition key,
 * received_at). Read through the EntityManager (lists, pending attributions); written only by
 * the bulk ingest statements of RepliesRepository (bench/reply/ingest.ts).
 */
@Entity({ tableName: 'reply' })
export class ReplyEntity {
  [OptionalProps]?: 'recordedAt';

  @PrimaryKey({ type: 'text' })
  replyId!: string;

  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  receivedAt!: Date;

  @Property({ type: 'text' })
  phone!: string;

  @Property({ type: 'text' })
  content!: string;

  @Property({ type: 'text' })
  operator!: string;

  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text', nullable: true })
  accountId!: string | null;

  @Property({ type: 'text', nullable: true })
  messageId!: string | null;

  @Property({ type: 'text', nullable: true })
  templateId!: string | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  labels!: string[];

  @Property({ type: 'text', nullable: true })
  smsUser!: string | null;

  /** Stored as its name (a CHECK constraint lists them). */
  @Property({ type: 'text' })
  attribution!: AttributionKind;

  @Property({ type: 'text' })
  keywordAction!: KeywordAction;

  @Property({ type: 'text', nullable: true })
  channelAccountId!: string | null;

  @Property({ type: 'text', nullable: true })
  channelMessageId!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  recordedAt!: Date;
}

/** `reply_key`: one row per reply id, across partitions (the ingest's idempotency). */
@Entity({ tableName: 'reply_key' })
export class ReplyKeyEntity {
  @PrimaryKey({ type: 'text' })
  replyId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  receivedAt!: Date;
}
