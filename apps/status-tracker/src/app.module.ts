import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import {
  hashTaggedPrefix,
  queueRootOptions,
  RedisModule,
  workerClassWithLocks,
} from '@sms/platform-redis';
import { STATUS_CONFIG, type StatusConfig } from './config';
import { ormSettings } from './database';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MessagesModule } from './messages/messages.module';

export const SERVICE_NAME = 'status-tracker';

@Module({})
export class AppModule {
  static register(config: StatusConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'status');
    const redis = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
    const queues = queueRootOptions(redis, prefix);
    // Workers are built at init from this class: a killed replica's jobs return after these times.
    BullModule.workerClass = workerClassWithLocks(config);
    return {
      module: AppModule,
      // Global so feature modules see STATUS_CONFIG.
      global: true,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({ ...redis, name: SERVICE_NAME }, queues),
        BullModule.forRoot(queues),
        MessagesModule,
        MaintenanceModule,
      ],
      providers: [{ provide: STATUS_CONFIG, useValue: config }],
      exports: [STATUS_CONFIG],
    };
  }
}
