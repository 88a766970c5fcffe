import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type KeywordEffectAction = 'UNSUBSCRIBE' | 'RESUBSCRIBE';
export type KeywordEffectState = 'PENDING' | 'APPLIED' | 'REFUSED';

/** One outbox row: the unsubscribe or resubscribe a reply asks interception-service for. */
@Entity({ tableName: 'keyword_effect' })
export class KeywordEffect {
  @PrimaryKey({ type: 'text' })
  replyId!: string;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'text' })
  phone!: string;

  @Property({ type: 'text' })
  action!: KeywordEffectAction;

  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'text' })
  state: KeywordEffectState = 'PENDING';

  @Property({ type: 'integer' })
  attempts = 0;

  /** Delivery round: names the current BullMQ job (a fresh id per re-armed round). */
  @Property({ type: 'integer' })
  round = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}
