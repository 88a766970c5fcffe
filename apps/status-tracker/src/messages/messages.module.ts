import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MaintenanceProcessor, MAINTENANCE_QUEUE } from '../maintenance/maintenance.processor';
import { MaintenanceService } from '../maintenance/maintenance.service';
import { FailureOutboxProcessor } from '../outbox/failure-outbox.processor';
import { FailureOutboxRepository } from '../outbox/failure-outbox.repository';
import { FAILURE_OUTBOX_QUEUE, FailureOutboxService } from '../outbox/failure-outbox.service';
import { OutboxMetrics } from '../outbox/outbox-metrics';
import { MessageIngestService } from './message-ingest.service';
import { MessageQueryService } from './message-query.service';
import { MessagesGrpcController } from './messages.grpc-controller';
import { MessagesRepository } from './messages.repository';
import { StatusMetrics } from './status-metrics';

/** The message store: ingest, queries, the failure outbox and the maintenance jobs. */
@Module({
  imports: [BullModule.registerQueue({ name: FAILURE_OUTBOX_QUEUE }, { name: MAINTENANCE_QUEUE })],
  controllers: [MessagesGrpcController],
  providers: [
    MessagesRepository,
    MessageIngestService,
    MessageQueryService,
    StatusMetrics,
    FailureOutboxRepository,
    FailureOutboxService,
    FailureOutboxProcessor,
    OutboxMetrics,
    MaintenanceService,
    MaintenanceProcessor,
  ],
  exports: [MessageIngestService, MaintenanceService, FailureOutboxService],
})
export class MessagesModule {}
