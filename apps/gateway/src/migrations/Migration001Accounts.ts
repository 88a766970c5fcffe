import { Migration } from '@sms/platform-database';

export class Migration001Accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table account (
      id text primary key,
      name text not null,
      created_at timestamptz not null
    );`);
    this.addSql(`create table api_key (
      id text primary key,
      account_id text not null references account (id),
      role text not null check (role in ('customer', 'operator')),
      secret_salt text not null,
      secret_hash text not null,
      created_at timestamptz not null,
      revoked_at timestamptz
    );`);
    this.addSql('create index api_key_account_idx on api_key (account_id);');
  }
}
