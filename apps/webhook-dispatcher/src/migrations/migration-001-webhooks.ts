import { Migration } from '@sms/platform-database';

// Endpoints (secrets encrypted), the events handed over by the outboxes (idempotent on event_id)
// and one delivery per (endpoint, event) with its attempts.
export class Migration001Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table webhook_endpoint (
      endpoint_id text primary key,
      account_id text not null,
      url text not null,
      event_types text[] not null,
      secret_ciphertext text not null,
      enabled boolean not null default true,
      disabled_reason text not null default '',
      failing_since timestamptz null,
      deleted_at timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now());`);
    this.addSql(
      `create index webhook_endpoint_account_idx on webhook_endpoint (account_id, created_at) where deleted_at is null;`,
    );
    this.addSql(`create table webhook_event (
      event_id text primary key,
      type text not null,
      account_id text not null,
      occurred_at timestamptz not null,
      data jsonb not null,
      created_at timestamptz not null default now());`);
    this.addSql(`create table webhook_delivery (
      delivery_id text primary key,
      endpoint_id text not null references webhook_endpoint (endpoint_id) on delete cascade,
      event_id text not null references webhook_event (event_id),
      status text not null default 'PENDING',
      attempts integer not null default 0,
      round integer not null default 0,
      last_http_code integer not null default 0,
      last_error text not null default '',
      next_attempt_at timestamptz null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (endpoint_id, event_id));`);
    this.addSql(
      `create index webhook_delivery_list_idx on webhook_delivery (endpoint_id, created_at desc, delivery_id desc);`,
    );
    this.addSql(
      `create index webhook_delivery_pending_idx on webhook_delivery (next_attempt_at) where status = 'PENDING';`,
    );
  }
}
