import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The one row (id 1) saying which index generation was last fully built, and in which Redis. */
@Entity({ tableName: 'index_state' })
export class IndexStateEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** bigint, as text: JavaScript numbers lose precision past 2^53. */
  @Property({ type: 'bigint' })
  generation!: string;

  /** INFO run_id of the Redis process holding that generation. */
  @Property({ type: 'text' })
  redisRunId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  rebuiltAt!: Date | null;
}

/** An index-touching change Redis has not confirmed yet (written by a trigger; Migration002). */
@Entity({ tableName: 'index_pending' })
export class IndexPendingEntity {
  @PrimaryKey({ type: 'bigint' })
  revision!: string;

  /** The database's clock_timestamp() at the change: the grace period is measured on it. */
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt!: Date;

  /** The rebuild that covers this change, once one began. */
  @Property({ type: 'bigint', nullable: true })
  repairGeneration!: string | null;
}
