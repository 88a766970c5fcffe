import type { Configuration } from '@mikro-orm/core';
import { AbstractSqlDriver } from '@mikro-orm/knex';
import { PostgreSqlConnection, PostgreSqlPlatform } from '@mikro-orm/postgresql';

/**
 * `'…'` with quotes doubled; `E'…'` with backslashes doubled too when there are any — the same
 * text as pg's `escapeLiteral`, which builds it one character at a time. MikroORM inlines every
 * raw-SQL parameter as a literal (sql.ts), and the ingest's parameters are 100–300 kB per batch:
 * the character loop and the garbage of its intermediate strings were ~10 % of status-tracker's
 * CPU under bench/status/ingest.ts (docs/sql-literals-escaped-in-one-pass.md). Two native replaces do it in one pass each.
 */
export function escapeStringLiteral(value: string): string {
  const quoted = value.includes("'") ? value.replace(/'/g, "''") : value;
  if (!value.includes('\\')) return `'${quoted}'`;
  return ` E'${quoted.replace(/\\/g, '\\\\')}'`;
}

/** PostgreSQL's platform with a string escape that does not build its result per character. */
export class EscapingPostgreSqlPlatform extends PostgreSqlPlatform {
  override escape(value: unknown): string {
    if (typeof value === 'string') return escapeStringLiteral(value);
    return super.escape(value);
  }
}

/** MikroORM's PostgreSQL driver (the same connection and dialect) on that platform. */
export class PostgreSqlDriver extends AbstractSqlDriver<PostgreSqlConnection, PostgreSqlPlatform> {
  constructor(config: Configuration) {
    super(config, new EscapingPostgreSqlPlatform(), PostgreSqlConnection, ['knex', 'pg']);
  }
}
