import { MikroORM } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { createTestSchema, type TestSchema } from '@sms/testing';
import { createOrmOptions, runMigrations, type OrmSettings } from './index';

class Migration001Things extends Migration {
  override async up(): Promise<void> {
    // Unqualified on purpose: the search_path puts it in the service's schema.
    this.addSql('create table thing (id int primary key, name text not null);');
  }
}

describe('migrations in a schema of its own (real PostgreSQL)', () => {
  let schema: TestSchema;
  let settings: OrmSettings;

  beforeAll(async () => {
    schema = await createTestSchema('database-lib');
    settings = {
      url: schema.databaseUrl,
      schema: schema.schema,
      entities: [],
      migrations: [{ name: 'Migration001Things', class: Migration001Things }],
    };
  });

  afterAll(() => schema.drop());

  it('applies pending migrations once, in the service schema', async () => {
    expect(await runMigrations(settings)).toEqual(['Migration001Things']);
    expect(await runMigrations(settings)).toEqual([]);

    const orm = await MikroORM.init(createOrmOptions(settings));
    try {
      const tables = await orm.em
        .fork()
        .getConnection()
        .execute<{ table_name: string }[]>(
          `select table_name from information_schema.tables where table_schema = ? order by table_name`,
          [schema.schema],
        );
      expect(tables.map((t) => t.table_name)).toEqual(['mikro_orm_migrations', 'thing']);
    } finally {
      await orm.close(true);
    }
  });
});
