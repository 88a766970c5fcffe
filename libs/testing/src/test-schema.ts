import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testInfrastructure } from './infrastructure';

export interface TestSchema {
  readonly databaseUrl: string;
  readonly schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh PostgreSQL schema for one test file, so runs never see each other's rows. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const { databaseUrl } = testInfrastructure();
  const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withClient(databaseUrl, (client) => client.query(`create schema "${schema}"`));
  return {
    databaseUrl,
    schema,
    drop: async () => {
      await withClient(databaseUrl, (client) =>
        client.query(`drop schema if exists "${schema}" cascade`),
      );
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
