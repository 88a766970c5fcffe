import { Migration } from '@sms/platform-database';

// What the daily retention job (src/retention) walks: finished deliveries by age, the deliveries
// of an event (an event goes only when none is left), events by age.
export class Migration002WebhookRetention extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index webhook_delivery_finished_idx on webhook_delivery (updated_at) where status <> 'PENDING';`,
    );
    this.addSql(`create index webhook_delivery_event_idx on webhook_delivery (event_id);`);
    this.addSql(`create index webhook_event_created_idx on webhook_event (created_at);`);
  }
}
