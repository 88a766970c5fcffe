import { Migration } from '@sms/platform-database';

// Status changes for the webhook-dispatcher, written in the ingest transaction and removed once
// it confirmed them (see docs/webhook-delivery.md); the ones it refused for good are kept.
export class Migration20261205000000WebhookOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table webhook_outbox (
      id bigserial primary key,
      event_id text not null,
      type text not null,
      account_id text not null,
      occurred_at timestamptz not null,
      data jsonb not null,
      created_at timestamptz not null default now());`);
    this.addSql(`create table webhook_dead_letter (
      event_id text primary key,
      event jsonb not null,
      error text not null,
      created_at timestamptz not null,
      failed_at timestamptz not null default now());`);
  }
}
