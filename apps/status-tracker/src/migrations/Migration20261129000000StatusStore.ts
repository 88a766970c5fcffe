import { MESSAGE_STATUS_NUMBERS } from '@sms/domain-catalogue';
import { Migration } from '@sms/platform-database';

// The message store (SPEC 2.2-2.4). `message` is partitioned by day on request_time so the
// retention job drops whole days; its primary key must contain the partition key, so the
// global uniqueness of message_id, and the lookup by id of events that carry only the id, live
// in the narrow `message_key` table (also the per-message row lock of the ingest).
export class Migration20261129000000StatusStore extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table message (
        message_id text not null,
        request_time timestamptz not null,
        account_id text not null,
        sms_user text not null,
        recipient text not null,
        entries integer not null,
        template_id text not null,
        template_type smallint not null,
        labels text[] not null default '{}',
        channel text not null default '',
        operator text not null default '',
        status smallint not null,
        process_failed_reason smallint,
        send_failure_code smallint,
        reason_detail text not null default '',
        channel_send_time timestamptz,
        receipt_time timestamptz,
        update_time timestamptz not null,
        synthetic_outcome boolean not null default false,
        send_log jsonb not null default '[]',
        primary key (message_id, request_time)
      ) partition by range (request_time);`);
    // Every ListMessages filter within one account, in keyset order (request_time, message_id);
    // ascending indexes scanned backwards serve "newest first" and the row comparison cursor.
    this.addSql(
      `create index message_account_time on message (account_id, request_time, message_id);`,
    );
    this.addSql(
      `create index message_account_status on message (account_id, status, request_time, message_id);`,
    );
    this.addSql(
      `create index message_account_template on message (account_id, template_id, request_time, message_id);`,
    );
    this.addSql(
      `create index message_account_user on message (account_id, sms_user, request_time, message_id);`,
    );
    this.addSql(
      `create index message_account_code on message (account_id, send_failure_code, request_time, message_id) where send_failure_code is not null;`,
    );
    this.addSql(
      `create index message_account_reason on message (account_id, process_failed_reason, request_time, message_id) where process_failed_reason is not null;`,
    );
    // Phone filter and FindLatestMessage (phone across accounts within 72 h).
    this.addSql(`create index message_recipient on message (recipient, request_time, message_id);`);
    // Rare labels: a bitmap over the GIN index beats walking the account's rows.
    this.addSql(`create index message_labels on message using gin (labels);`);
    // The wait-result timeout sweep.
    this.addSql(
      `create index message_waiting on message (channel_send_time) where status = ${MESSAGE_STATUS_NUMBERS.WAIT_RESULT};`,
    );

    this.addSql(`
      create table message_key (
        message_id text primary key,
        request_time timestamptz,
        account_id text,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index message_key_request_time on message_key (request_time);`);
    this.addSql(
      `create index message_key_unaccepted on message_key (created_at) where request_time is null;`,
    );

    this.addSql(`
      create table parked_event (
        message_id text not null,
        event_key text not null,
        event jsonb not null,
        parked_at timestamptz not null,
        primary key (message_id, event_key)
      );`);
    this.addSql(`create index parked_event_parked_at on parked_event (parked_at);`);

    this.addSql(`
      create table failure_outbox (
        message_id text not null,
        code smallint not null,
        request jsonb not null,
        created_at timestamptz not null default now(),
        primary key (message_id, code)
      );`);
    this.addSql(`create index failure_outbox_created_at on failure_outbox (created_at);`);

    // Creates the partition of one UTC day unless it exists; safe to race.
    this.addSql(`
      create or replace function ensure_message_partition(day date) returns boolean
      language plpgsql as $$
      declare
        partition_name text := 'message_p' || to_char(day, 'YYYYMMDD');
      begin
        if to_regclass(partition_name) is not null then
          return false;
        end if;
        execute format(
          'create table %I partition of message for values from (%L) to (%L)',
          partition_name, day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
        return true;
      exception when duplicate_table then
        return false;
      end;
      $$;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists ensure_message_partition(date);');
    this.addSql('drop table if exists failure_outbox, parked_event, message_key, message;');
  }
}
