import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

export type EntryScope = 'GLOBAL' | 'LOCAL';
export type EntrySourceName = 'SEND_FAILURE' | 'MANUAL';
export type EntryStateName = 'ACTIVE' | 'EXPIRED' | 'DELETED';

/** One block-list entry (SPEC 3.1). Writes that must be atomic go through SQL in the repository. */
@Entity({ tableName: 'block_entry' })
export class BlockEntryEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  phone!: string;

  @Property({ type: 'text' })
  scope!: EntryScope;

  @Property({ type: 'text', nullable: true })
  ownerAccountId!: string | null;

  @Property({ type: 'text' })
  source!: EntrySourceName;

  @Property({ type: 'integer', nullable: true })
  sendFailureCode!: number | null;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'text' })
  detail!: string;

  @Property({ type: 'text' })
  messageId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  interceptedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  expiresAt!: Date | null;

  @Property({ type: 'text' })
  state!: EntryStateName;

  /** Bumped by every renewal; names the entry's current expiry job. */
  @Property({ type: 'integer' })
  version!: number;

  /** From index_revision_seq on every change; orders writes to the Redis index. */
  @Property({ type: 'bigint' })
  revision!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'text', nullable: true })
  deletedBy!: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  deletedAt!: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt!: Date;
}

/** An entry as the use cases see it (rows from SQL are mapped to the same shape). */
export type BlockEntry = Omit<BlockEntryEntity, never>;
