import { Migration } from '@sms/platform-database';

/**
 * The rollup's rows from the message table: count and entries per account, UTC hour and every
 * rollup dimension (0 stands for "no reason"/"no code", so the primary key holds no NULL).
 * In key order, so one account's rows sit together on disk. Shared with the benchmarks, which
 * bulk-load message rows by SQL and then rebuild the rollup.
 */
export const REBUILD_MESSAGE_STATS_HOURLY = `
  insert into message_stats_hourly (account_id, hour, status, process_failed_reason,
      send_failure_code, template_type, sms_user, messages, entries)
  select account_id, date_bin(interval '1 hour', request_time, timestamptz '2000-01-01 00:00:00+00'),
         status, coalesce(process_failed_reason, 0), coalesce(send_failure_code, 0), template_type,
         sms_user, count(*), sum(entries)
    from message
   group by 1, 2, 3, 4, 5, 6, 7
   order by 1, 2, 3, 4, 5, 6, 7`;

// GetMessageStats reads this hourly rollup instead of the message rows when every filter is one
// of its dimensions (see docs/delivery-statistics-rollup.md). Ingest keeps it exact in its own
// transaction (−1 on a message's old group, +1 on its new one). The covering index the row plan
// used is dropped: the rollup replaced it, and it cost every ingest an index write per message.
export class Migration20261205000000StatsRollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table message_stats_hourly (
        account_id text not null,
        hour timestamptz not null,
        status smallint not null,
        process_failed_reason smallint not null,
        send_failure_code smallint not null,
        template_type smallint not null,
        sms_user text not null,
        messages bigint not null,
        entries bigint not null,
        -- The counters in the index too: a period of one account is read index-only (measured:
        -- a bitmap heap scan of 43,000 rollup rows spread over the table took seconds).
        primary key (account_id, hour, status, process_failed_reason, send_failure_code,
                     template_type, sms_user) include (messages, entries)
      );`);
    // The rows already stored (ingest is stopped while migrating: the rollup starts exact).
    this.addSql(`${REBUILD_MESSAGE_STATS_HOURLY};`);
    this.addSql('drop index if exists message_account_stats;');
  }

  override async down(): Promise<void> {
    this.addSql(
      `create index if not exists message_account_stats on message (account_id, request_time)
         include (status, process_failed_reason, send_failure_code, entries);`,
    );
    this.addSql('drop table if exists message_stats_hourly;');
  }
}
