import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type UnsubscribeStateName = 'ACTIVE' | 'REMOVED';
export type UnsubscribeSourceName = 'REPLY' | 'API';

/** An account's unsubscribe of a number (SPEC 3.3); REMOVED rows remember the resubscribe time. */
@Entity({ tableName: 'unsubscribe' })
export class UnsubscribeEntity {
  /** Filled in by the database's defaults. */
  [OptionalProps]?: 'revision' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'text' })
  accountId!: string;

  @PrimaryKey({ type: 'text' })
  phone!: string;

  @Property({ type: 'text' })
  state!: UnsubscribeStateName;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  since!: Date;

  @Property({ type: 'text' })
  source!: UnsubscribeSourceName;

  @Property({ type: 'text', nullable: true })
  replyId!: string | null;

  /** The occurred-at time of the last unsubscribe or resubscribe applied. */
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  changedAt!: Date;

  @Property({ type: 'bigint' })
  revision!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt!: Date;
}

export type UnsubscribeRecord = Omit<UnsubscribeEntity, typeof OptionalProps>;
