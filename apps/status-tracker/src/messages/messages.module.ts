import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { WebhookEventsModule } from '../webhook-events/webhook-events.module';
import { MessageIngestService } from './message-ingest.service';
import { MessageQueryService } from './message-query.service';
import { MessagesGrpcController } from './messages.grpc-controller';
import { MessagesRepository } from './messages.repository';
import { StatusMetrics } from './status-metrics';

/** The message store: RecordEvents, GetMessage, ListMessages, FindLatestMessage. */
@Module({
  imports: [OutboxModule, WebhookEventsModule],
  controllers: [MessagesGrpcController],
  providers: [MessagesRepository, MessageIngestService, MessageQueryService, StatusMetrics],
  exports: [MessagesRepository, MessageIngestService, StatusMetrics],
})
export class MessagesModule {}
