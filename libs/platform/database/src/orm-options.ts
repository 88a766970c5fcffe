import { MikroORM, type MigrationObject, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from './postgresql-driver';

export interface OrmSettings {
  readonly url: string;
  /** The service's own schema; also the search_path, so raw SQL stays unqualified. */
  readonly schema: string;
  readonly entities: Options['entities'];
  /** Listed explicitly: folder globs do not survive compilation or bundling. */
  readonly migrations: MigrationObject[];
  readonly poolMax?: number;
  readonly debug?: boolean;
}

export function createOrmOptions(settings: OrmSettings): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.url,
    schema: settings.schema,
    entities: settings.entities,
    debug: settings.debug ?? false,
    pool: { min: 0, max: settings.poolMax ?? 10 },
    driverOptions: { connection: { options: `-c search_path=${settings.schema},public` } },
    extensions: [Migrator],
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: settings.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      // The migrate commands report what they applied; MikroORM's own lines are noise in tests.
      silent: true,
    },
  };
}

/** Applies pending migrations; the `migrate` command of every service, never implicit. */
export async function runMigrations(settings: OrmSettings): Promise<string[]> {
  const orm = await MikroORM.init(createOrmOptions(settings));
  try {
    await orm.em.getConnection().execute(`create schema if not exists "${settings.schema}"`);
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await orm.getMigrator().up();
        return applied.map((migration) => migration.name);
      } catch (error) {
        if (attempt >= 5 || !isIntrospectionRace(error)) throw error;
      }
    }
  } finally {
    await orm.close(true);
  }
}

/**
 * MikroORM's migrator lists every table of the database (all schemas) before it starts; a table
 * dropped meanwhile by another schema's owner (a retention job dropping a partition) fails that
 * listing with 42P01, a whole schema dropped meanwhile (another service's tests removing theirs)
 * with 3F000. Nothing was applied yet, so trying again is safe.
 */
function isIntrospectionRace(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === '42P01' || code === '3F000') && String(message).includes('information_schema.tables')
  );
}
