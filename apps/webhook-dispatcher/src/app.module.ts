import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import { RedisModule } from '@sms/platform-redis';
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
import { SecretBox } from './signing/secret-box';

export const SERVICE_NAME = 'webhook-dispatcher';

@Module({})
export class AppModule {
  static register(config: DispatcherConfig): DynamicModule {
    const redis = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
    return {
      module: AppModule,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        // Redis holds only the per-endpoint slots; the deliveries live in PostgreSQL.
        RedisModule.forRoot({ ...redis, name: SERVICE_NAME }),
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
      ],
    };
  }
}
