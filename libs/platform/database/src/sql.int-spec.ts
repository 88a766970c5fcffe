import { MikroORM } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestSchema, type TestSchema } from '@sms/testing';
import { arrayLiteral, createOrmOptions, runMigrations, Sql, type OrmSettings } from './index';

class Migration001Notes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table note (id text primary key, at timestamptz not null, tags text[]);');
  }
}

describe('Sql over MikroORM’s connection (real PostgreSQL)', () => {
  let schema: TestSchema;
  let orm: MikroORM;

  beforeAll(async () => {
    schema = await createTestSchema('database-sql');
    const settings: OrmSettings = {
      url: schema.databaseUrl,
      schema: schema.schema,
      entities: [],
      migrations: [{ name: 'Migration001Notes', class: Migration001Notes }],
    };
    await runMigrations(settings);
    orm = await MikroORM.init(createOrmOptions(settings));
  });

  afterAll(async () => {
    await orm.close(true);
    await schema.drop();
  });

  beforeEach(() => Sql.fork(orm).query('delete from note'));

  it('sends arrays as one array value and dates as instants', async () => {
    const at = new Date('2026-12-01T10:20:30.456Z');
    const ids = ['a', 'b,c', 'd"e', 'f\\g', "h'i", '{j}'];
    const inserted = await Sql.fork(orm).query<{ id: string }>(
      `insert into note (id, at, tags)
         select id, ?, array[id] from unnest(?::text[]) as u(id) returning id`,
      [at, ids],
    );
    expect(inserted.rowCount).toBe(ids.length);
    const rows = await Sql.fork(orm).rows<{ id: string; at: string | Date; tags: string[] }>(
      'select id, at, tags from note where id = any(?::text[]) order by id',
      [ids],
    );
    expect(rows.map((row) => row.id)).toEqual([...ids].sort());
    expect(rows.every((row) => new Date(row.at).getTime() === at.getTime())).toBe(true);
    expect(rows.find((row) => row.id === 'b,c')?.tags).toEqual(['b,c']);
  });

  it('keeps null elements of an array as SQL NULL', async () => {
    const [row] = await Sql.fork(orm).rows<{ nulls: number }>(
      'select count(*)::int as nulls from unnest(?::timestamptz[]) as t(v) where v is null',
      [[null, new Date(), null]],
    );
    expect(row?.nulls).toBe(2);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const at = new Date();
    await Sql.fork(orm).transaction(async (tx) => {
      await tx.query('insert into note (id, at) values (?, ?)', ['kept', at]);
    });
    await expect(
      Sql.fork(orm).transaction(async (tx) => {
        await tx.query('insert into note (id, at) values (?, ?)', ['dropped', at]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const rows = await Sql.fork(orm).rows<{ id: string }>('select id from note order by id');
    expect(rows).toEqual([{ id: 'kept' }]);
  });

  it('runs outsideTransactions statements on their own, never inside an open transaction', async () => {
    const reads = Sql.outsideTransactions(orm.em as EntityManager);
    const at = new Date();
    await Sql.fork(orm).transaction(async (tx) => {
      await tx.query('insert into note (id, at) values (?, ?)', ['uncommitted', at]);
      // Run while the transaction is open (its context is the current one): a statement joining it
      // would see the uncommitted row.
      const seen = await reads.rows<{ id: string }>('select id from note');
      expect(seen).toEqual([]);
    });
    expect(await reads.rows<{ id: string }>('select id from note')).toEqual([
      { id: 'uncommitted' },
    ]);
    expect(() => reads.transaction(() => Promise.resolve())).toThrow(/runs no transactions/);
  });

  it('reports the rows a statement touched', async () => {
    const at = new Date();
    await Sql.fork(orm).query(
      'insert into note (id, at) select x::text, ? from generate_series(1, 3) x',
      [at],
    );
    const deleted = await Sql.fork(orm).raw<{ rowCount: number }>(
      'delete from note where id <> ?',
      ['1'],
    );
    expect(deleted.rowCount).toBe(2);
  });
});

describe('arrayLiteral', () => {
  it('quotes every element and escapes quotes and backslashes', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\e', null, 3])).toBe('{"a","b\\"c","d\\\\e",NULL,"3"}');
    expect(arrayLiteral([])).toBe('{}');
  });
});
