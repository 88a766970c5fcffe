import { Module } from '@nestjs/common';
import { StatusWebhookRelay } from './status-webhook.relay';

/** message.status events for customers' webhooks: the relay of webhook_outbox to the dispatcher. */
@Module({
  providers: [StatusWebhookRelay],
  exports: [StatusWebhookRelay],
})
export class WebhookEventsModule {}
