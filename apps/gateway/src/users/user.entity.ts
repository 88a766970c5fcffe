import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { ApiKeyRole } from '../accounts/api-key-secret';

/** A person who signs in to the console; belongs to one account and has that account's role. */
@Entity({ tableName: 'console_user' })
export class ConsoleUser {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  accountId!: string;

  /** Lower-cased, trimmed; unique. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  role!: ApiKeyRole;

  /** `scrypt$N$r$p$salt$hash` (users/password-hash.ts). */
  @Property({ type: 'text' })
  passwordHash!: string;

  /** Bumped by every password reset: sessions signed in under an older value end. */
  @Property({ type: 'integer' })
  credentialsVersion!: number;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  disabledAt: Date | null = null;
}
