import {
  MESSAGE_STATUS_NUMBERS,
  PROCESS_FAILED_REASON_NUMBERS,
  TEMPLATE_TYPE_NUMBERS,
} from '@sms/domain-catalogue';
import { runMigrations } from '@sms/platform-database';
import { createTestSchema, type TestSchema } from '@sms/testing';
import { Client } from 'pg';
import { ormSettings } from '../src/database';

// The migration pins the stored enum numbers in PostgreSQL (docs/stored-enum-numbers.md).
describe('stored enum numbers in the status store (real PostgreSQL)', () => {
  let schema: TestSchema;
  let sql: Client;

  beforeAll(async () => {
    schema = await createTestSchema('status-enums');
    await runMigrations(
      ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
    );
    sql = new Client({
      connectionString: schema.databaseUrl,
      options: `-c search_path=${schema.schema}`,
    });
    await sql.connect();
    await sql.query(`select ensure_message_partition('2026-12-01')`);
  });

  afterAll(async () => {
    await sql.end();
    await schema.drop();
  });

  it.each([
    ['message_status', MESSAGE_STATUS_NUMBERS],
    ['template_type', TEMPLATE_TYPE_NUMBERS],
    ['process_failed_reason', PROCESS_FAILED_REASON_NUMBERS],
  ] as const)('names every number of %s as the catalogue does', async (table, numbers) => {
    const { rows } = await sql.query<{ number: number; name: string }>(
      `select number, name from ${table} order by number`,
    );
    expect(Object.fromEntries(rows.map((row) => [row.name, row.number]))).toEqual(numbers);
  });

  const insert = (status: number, templateType: number, reason: number | null) =>
    sql.query(
      `insert into message (message_id, request_time, account_id, sms_user, recipient, entries,
         template_id, template_type, labels, status, process_failed_reason, update_time)
       values ($1, '2026-12-01T10:00:00Z', 'acct-1', 'user', '+447911123456', 1, 'tpl', $2,
         '{}', $3, $4, now())`,
      [`m-${status}-${templateType}-${reason}`, templateType, status, reason],
    );

  it('stores the known numbers', async () => {
    await insert(MESSAGE_STATUS_NUMBERS.PROCESS_FAILED, TEMPLATE_TYPE_NUMBERS.MARKETING, 8);
    const { rows } = await sql.query<{ count: string }>('select count(*) from message');
    expect(Number(rows[0].count)).toBe(1);
  });

  it.each([
    ['status', 6, TEMPLATE_TYPE_NUMBERS.NOTIFICATION, null],
    ['status', 0, TEMPLATE_TYPE_NUMBERS.NOTIFICATION, null],
    ['template_type', MESSAGE_STATUS_NUMBERS.SENDING, 4, null],
    ['process_failed_reason', MESSAGE_STATUS_NUMBERS.PROCESS_FAILED, 1, 9],
  ] as const)('refuses an unknown %s and stores nothing', async (column, status, type, reason) => {
    const before = await sql.query<{ count: string }>('select count(*) from message');
    await expect(insert(status, type, reason)).rejects.toThrow(`message_${column}_known`);
    const after = await sql.query<{ count: string }>('select count(*) from message');
    expect(after.rows[0].count).toBe(before.rows[0].count);
  });
});
