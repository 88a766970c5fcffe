import { Migration } from '@sms/platform-database';

// Failure outbox rows now stay until interception-service confirmed them. `round` names the
// current delivery job (a fresh BullMQ job id per round, see @sms/platform-outbox); a request
// interception-service refuses for good (INVALID_ARGUMENT) moves to failure_dead_letter, listed
// for operators, never dropped.
export class Migration20261204000000OutboxRounds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table failure_outbox add column round integer not null default 0;`);
    this.addSql(`
      create table failure_dead_letter (
        message_id text not null,
        code smallint not null,
        request jsonb not null,
        error text not null,
        created_at timestamptz not null,
        failed_at timestamptz not null default now(),
        primary key (message_id, code)
      );`);
    this.addSql(
      `create index failure_dead_letter_failed_at on failure_dead_letter (failed_at desc, message_id desc, code desc);`,
    );
  }
}
