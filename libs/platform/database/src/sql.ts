import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

export type SqlScalar = string | number | boolean | Date | null;
/** A `?` parameter: a scalar, or an array sent as one PostgreSQL array value (cast it: `?::text[]`). */
export type SqlParam = SqlScalar | readonly SqlScalar[];

/** What a statement returned: its rows (RETURNING or SELECT) and how many rows it touched. */
export interface SqlResult<R = Record<string, unknown>> {
  readonly rows: R[];
  readonly rowCount: number;
}

/**
 * Raw SQL through MikroORM's public connection API (`Connection.execute`), inside the entity
 * manager's transaction when it has one — never `getKnex()`, which MikroORM 7 removes. For the
 * paths a benchmark shows need it only (README, "Data access"); ordinary reads and writes use
 * entities and the QueryBuilder.
 *
 * Parameters are `?`. MikroORM inlines them as escaped literals, where it would spread an array
 * into a comma list: arrays are sent as one array literal instead, as the pg driver does, so
 * `= any(?::text[])` and `unnest(?::timestamptz[])` mean what they say.
 */
export class Sql {
  constructor(
    readonly em: EntityManager,
    /** False for `Sql.outsideTransactions`: statements never join a transaction. */
    private readonly joinsTransactions = true,
  ) {}

  /** A fresh fork of the ORM's entity manager: one per call or job, never the global context. */
  static fork(orm: MikroORM): Sql {
    return new Sql(orm.em.fork() as EntityManager);
  }

  /**
   * Single statements on the ORM's connection, each in no transaction, through `em` without a
   * fork per call: raw statements never touch an identity map, so there is nothing a fork would
   * keep apart. For a hot read path a benchmark shows the fork costs (bench/status/list-messages.ts:
   * ~3 % of status-tracker's CPU per ListMessages). `transaction` is refused.
   */
  static outsideTransactions(em: EntityManager): Sql {
    return new Sql(em, false);
  }

  /** The rows of one statement. */
  async rows<R>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params: readonly SqlParam[] = [],
  ): Promise<SqlResult<R>> {
    const result = await this.em.getConnection().execute<{
      affectedRows: number;
      rows?: R[];
    }>(sql, params.map(toLiteralParam), 'run', this.joinsTransactions ? this.em.getTransactionContext() : undefined);
    return { rows: result.rows ?? [], rowCount: result.affectedRows };
  }

  /**
   * `query` typed as the caller declares the result (`{ rows: Row[] }` or `{ rowCount: number }`),
   * the shape repositories written against knex's `raw` expect.
   */
  async raw<T = SqlResult>(sql: string, params: readonly SqlParam[] = []): Promise<T> {
    return (await this.query(sql, params)) as T;
  }

  /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (!this.joinsTransactions) throw new Error('Sql.outsideTransactions runs no transactions');
    return this.em.transactional((em) => work(new Sql(em)));
  }
}

function toLiteralParam(value: SqlParam): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value as readonly SqlScalar[]);
  return value;
}

const NEEDS_ESCAPE = /["\\]/;

/** `{"a","b",NULL}`: every element quoted, so commas, braces and quotes inside stay data. */
export function arrayLiteral(values: readonly SqlScalar[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = value instanceof Date ? value.toISOString() : String(value);
    // One scan for the common case (ids, numbers, timestamps): the ingest's 500-row column
    // arrays made this callback ~5 % of status-tracker's CPU under ingest (bench/README.md).
    if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${elements.join(',')}}`;
}
