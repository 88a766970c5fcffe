import { performance } from 'node:perf_hooks';
import { runMigrations } from '@sms/platform-database';
import { testInfrastructure } from '@sms/testing';
import type { Client } from 'pg';
import { ormSettings } from '../../apps/status-tracker/src/database';
import { REBUILD_MESSAGE_STATS_HOURLY } from '../../apps/status-tracker/src/migrations/Migration20261205000000StatsRollup';
import { log } from './bench-support';

// The message generator of the statistics and export benchmarks (the distribution of
// list-messages.ts: 70 % delivered, 10 % send-failed over ten codes, 5 % process-failed, …).

const CHUNK = 1_000_000;

/**
 * Fills `schema` (dropped and re-created, migrated) with `rows` messages over the last 30 days
 * and `accounts` accounts (`acct-0` …), by SQL; secondary indexes and the statistics rollup are
 * built after the load.
 */
export async function generateMessages(
  sql: Client,
  options: { schema: string; rows: number; accounts: number; skipIndex?: string },
): Promise<void> {
  const { schema: SCHEMA, rows: ROWS, accounts: ACCOUNTS } = options;
  const started = performance.now();
  await sql.query(`drop schema if exists ${SCHEMA} cascade`);
  await sql.query(`create schema ${SCHEMA}`);
  await runMigrations(
    ormSettings({ DATABASE_URL: testInfrastructure().databaseUrl, DATABASE_SCHEMA: SCHEMA }),
  );
  await sql.query(`set search_path = ${SCHEMA}`);
  await sql.query(`set maintenance_work_mem = '512MB'`);
  const indexes = await sql.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes
      where schemaname = $1 and tablename = 'message' and indexname not like '%pkey'`,
    [SCHEMA],
  );
  for (const index of indexes.rows) await sql.query(`drop index ${index.indexname}`);
  await sql.query(
    `select ensure_message_partition(d::date)
       from generate_series(now() - interval '31 days', now() + interval '1 day', interval '1 day') d`,
  );
  for (let first = 1; first <= ROWS; first += CHUNK) {
    const last = Math.min(ROWS, first + CHUNK - 1);
    await sql.query(
      `insert into message (message_id, request_time, account_id, sms_user, recipient, entries,
          template_id, template_type, labels, channel, operator, status, process_failed_reason,
          send_failure_code, reason_detail, channel_send_time, receipt_time, update_time, send_log)
       select 'bm-' || g, t, 'acct-' || (g % $3), 'user-' || ((g / $3) % 7),
              '+4479' || lpad(((g * 7919) % 1000000)::text, 8, '0'), 1 + g % 3,
              'tpl-' || ((g / 7) % 50), 1 + (g / 11) % 3,
              case (g / 13) % 10 when 0 then '{promo}'::text[] when 1 then '{promo,vip}'
                   when 2 then '{vip}' when 3 then array['rare-' || (g % 1000)] else '{}' end,
              'ch-' || g % 5, 'op', s,
              case when s = 4 then 1 + (g / $3) % 8 end,
              case when s = 5 then 500 + 10 * ((g / $3) % 10) end,
              '', t + interval '1 second', t + interval '5 seconds', t + interval '5 seconds', '[]'
         from (select g, now() - interval '29 days 22 hours' * (g::float8 / $4) as t,
                      case when (g / $3 * 31) % 100 < 70 then 3 when (g / $3 * 31) % 100 < 80 then 5
                           when (g / $3 * 31) % 100 < 85 then 4 when (g / $3 * 31) % 100 < 95 then 2
                           else 1 end as s
                 from generate_series($1::bigint, $2::bigint) g) x`,
      [first, last, ACCOUNTS, ROWS],
    );
    log(
      `  loaded ${last.toLocaleString()} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  // The rows bypassed ingest, so the statistics rollup is built from them as the migration does.
  await sql.query('truncate message_stats_hourly');
  await sql.query(REBUILD_MESSAGE_STATS_HOURLY);
  log(`  rollup message_stats_hourly (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  for (const index of indexes.rows) {
    if (index.indexname === options.skipIndex) continue;
    await sql.query(index.indexdef.replace(' ON ONLY ', ' ON '));
    log(`  index ${index.indexname} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await sql.query('vacuum analyze message, message_stats_hourly');
  log(
    `generated ${ROWS.toLocaleString()} rows in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}
