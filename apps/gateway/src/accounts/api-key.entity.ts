import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { ApiKeyRole } from './api-key-secret';

/** An API key: the secret is never stored, only a salted HMAC-SHA256 of it. */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  accountId!: string;

  @Property({ type: 'text' })
  role!: ApiKeyRole;

  @Property({ type: 'text' })
  secretSalt!: string;

  @Property({ type: 'text' })
  secretHash!: string;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
