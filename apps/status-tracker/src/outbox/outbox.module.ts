import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { FailureOutboxProcessor } from './failure-outbox.processor';
import { FailureOutboxRepository } from './failure-outbox.repository';
import { FAILURE_OUTBOX_QUEUE, FailureOutboxService } from './failure-outbox.service';
import { OutboxMetrics } from './outbox-metrics';

/** The durable hand-over of send failures to InterceptionService.RecordFailure. */
@Module({
  imports: [BullModule.registerQueue({ name: FAILURE_OUTBOX_QUEUE })],
  providers: [FailureOutboxRepository, FailureOutboxService, FailureOutboxProcessor, OutboxMetrics],
  exports: [FailureOutboxService],
})
export class OutboxModule {}
