import { Migration } from '@sms/platform-database';

// Webhook events for the webhook-dispatcher (reply.received events, written in the transaction that stores or attributes a reply), removed once it confirmed them; the ones it
// refused for good are kept for operators (docs/webhook-delivery.md). Same shape as
// status-tracker's tables.
export class Migration004WebhookOutbox extends Migration {
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
