import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { OutboxModule } from '../outbox/outbox.module';
import { MaintenanceProcessor, MAINTENANCE_QUEUE } from './maintenance.processor';
import { MaintenanceService } from './maintenance.service';

/** Repeatable jobs: partitions and retention, wait-result timeout, parked expiry, outbox relay. */
@Module({
  imports: [BullModule.registerQueue({ name: MAINTENANCE_QUEUE }), MessagesModule, OutboxModule],
  providers: [MaintenanceService, MaintenanceProcessor],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
