import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { OnModuleInit } from '@nestjs/common';
import type { OrmSettings } from './orm-options';

/**
 * The service's schema is behind its code: it must not serve (an orchestrator would route
 * traffic to a process whose queries fail). Start-up maps it to exit code 78, like bad
 * configuration, since only an operator's `migrate` fixes it.
 */
export class SchemaNotCurrentError extends Error {
  constructor(
    readonly schema: string,
    readonly pending: readonly string[],
  ) {
    super(
      `schema "${schema}" is not at its latest migration; pending: ${pending.join(', ')}. ` +
        'Apply them first: `npm run migrate` (all services), `npx nx run <service>:migrate`, ' +
        'or the image command `migrate`.',
    );
    this.name = 'SchemaNotCurrentError';
  }
}

/** The migrations of `settings` that the schema has not applied, in order. */
export async function pendingMigrations(
  orm: MikroORM<PostgreSqlDriver>,
  settings: OrmSettings,
): Promise<string[]> {
  const connection = orm.em.getConnection();
  // Read-only on purpose: MikroORM's migrator would create the table (and schema) to answer.
  const [table] = await connection.execute<{ present: boolean }[]>(
    'select to_regclass(?) is not null as present',
    [`"${settings.schema}".mikro_orm_migrations`],
  );
  const applied = new Set<string>();
  if (table?.present) {
    const rows = await connection.execute<{ name: string }[]>(
      `select name from "${settings.schema}".mikro_orm_migrations`,
    );
    for (const row of rows) applied.add(row.name);
  }
  return settings.migrations
    .map((migration) => migration.name)
    .filter((name) => !applied.has(name));
}

/** Refuses to let the app start on a schema with pending migrations (see DatabaseModule). */
export class SchemaGuard implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM<PostgreSqlDriver>,
    private readonly settings: OrmSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const pending = await pendingMigrations(this.orm, this.settings);
    if (pending.length > 0) throw new SchemaNotCurrentError(this.settings.schema, pending);
  }
}
