import { Module } from '@nestjs/common';
import { WebhookOutboxRelay } from './webhook-outbox.relay';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/** message.status events for customers' webhooks: the outbox and its relay to the dispatcher. */
@Module({
  providers: [WebhookOutboxRepository, WebhookOutboxRelay],
  exports: [WebhookOutboxRepository, WebhookOutboxRelay],
})
export class WebhookEventsModule {}
