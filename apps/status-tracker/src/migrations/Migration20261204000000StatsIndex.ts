import { Migration } from '@sms/platform-database';

// GetMessageStats of one account over a period reads only these columns: covering them lets
// PostgreSQL answer from the index alone (no heap fetch per message). Measured in
// bench/status/stats.ts against the plan without it; see docs/delivery-statistics-rollup.md.
export class Migration20261204000000StatsIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index if not exists message_account_stats on message (account_id, request_time)
         include (status, process_failed_reason, send_failure_code, entries);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists message_account_stats;');
  }
}
