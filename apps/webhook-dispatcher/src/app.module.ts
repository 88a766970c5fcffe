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
import { DISPATCHER_CONFIG, type DispatcherConfig } from './config';
import { ormSettings } from './database';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DeliveryPump } from './deliveries/delivery-pump';
import { EndpointSlots } from './deliveries/endpoint-slots';
import { WebhookMetrics } from './deliveries/webhook-metrics';
import { EndpointsRepository } from './endpoints/endpoints.repository';
import { EndpointsService } from './endpoints/endpoints.service';
import { WebhooksGrpcController } from './endpoints/webhooks.grpc-controller';
import {
  RETENTION_QUEUE,
  WebhookRetentionProcessor,
} from './retention/webhook-retention.processor';
import { WebhookRetentionRepository } from './retention/webhook-retention.repository';
import { WebhookRetentionService } from './retention/webhook-retention.service';
import { SecretBox } from './signing/secret-box';

export const SERVICE_NAME = 'webhook-dispatcher';

@Module({})
export class AppModule {
  static register(config: DispatcherConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'webhook');
    const redis = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
    const queues = queueRootOptions(redis, prefix);
    // Workers are built at init from this class: a killed replica's job returns after these times.
    BullModule.workerClass = workerClassWithLocks(config);
    return {
      module: AppModule,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({ ...redis, name: SERVICE_NAME }, queues),
        // Deliveries live in PostgreSQL (claimed in batches); BullMQ runs only the retention job.
        BullModule.forRoot(queues),
        BullModule.registerQueue({ name: RETENTION_QUEUE }),
      ],
      controllers: [WebhooksGrpcController],
      providers: [
        { provide: DISPATCHER_CONFIG, useValue: config },
        { provide: SecretBox, useFactory: () => new SecretBox(config.WEBHOOK_SECRET_KEY) },
        WebhookMetrics,
        EndpointSlots,
        EndpointsRepository,
        EndpointsService,
        DeliveriesRepository,
        DeliveriesService,
        DeliveryPump,
        WebhookRetentionRepository,
        WebhookRetentionService,
        WebhookRetentionProcessor,
      ],
    };
  }
}
