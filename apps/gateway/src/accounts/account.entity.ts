import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A customer (tenant). Every API key belongs to exactly one account. */
@Entity({ tableName: 'account' })
export class Account {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt!: Date;
}
