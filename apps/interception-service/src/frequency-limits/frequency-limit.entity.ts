import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { FrequencyLimits } from '../admission/frequency-limits';

/** The platform default's owner: account ids are never empty. */
export const PLATFORM_DEFAULT_OWNER = '';

/**
 * Frequency limits stored for an account, or the platform default (owner ''). A reset keeps the
 * row with `limits` null and a new revision, so replicas polling for revisions see it too.
 */
@Entity({ tableName: 'frequency_limit' })
export class FrequencyLimitEntity {
  @PrimaryKey({ type: 'text' })
  owner!: string;

  /** `{ template: [{ seconds, limit }], account: [...] }`, shortest window first; null: reset. */
  @Property({ type: 'json', nullable: true })
  limits!: FrequencyLimits | null;

  @Property({ type: 'text' })
  updatedBy!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt!: Date;

  @Property({ type: 'bigint' })
  revision!: string;
}
