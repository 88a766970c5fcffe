import { Migration } from '@sms/platform-database';

export class Migration002ConsoleUsers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table console_user (
      id text primary key,
      account_id text not null references account (id),
      email text not null unique check (email = lower(email)),
      role text not null check (role in ('customer', 'operator')),
      password_hash text not null,
      credentials_version integer not null default 1,
      created_at timestamptz not null,
      disabled_at timestamptz
    );`);
    this.addSql('create index console_user_account_idx on console_user (account_id);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists console_user;');
  }
}
