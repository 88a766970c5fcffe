import { Module } from '@nestjs/common';
import { WebhookDeadLetters } from './webhook-dead-letters';
import { WebhookOutboxRelay } from './webhook-outbox.relay';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

/** message.status events for customers' webhooks: the outbox and its relay to the dispatcher. */
@Module({
  providers: [WebhookOutboxRepository, WebhookOutboxRelay, WebhookDeadLetters],
  exports: [WebhookOutboxRepository, WebhookOutboxRelay, WebhookDeadLetters],
})
export class WebhookEventsModule {}
