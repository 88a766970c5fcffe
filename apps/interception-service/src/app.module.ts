import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import { hashTaggedPrefix, queueRootOptions, RedisModule } from '@sms/platform-redis';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from './config';
import { ormSettings } from './database';

export const SERVICE_NAME = 'interception-service';

@Module({})
export class AppModule {
  static register(config: InterceptionConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'interception');
    return {
      module: AppModule,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({ url: config.REDIS_URL, name: SERVICE_NAME }),
        BullModule.forRoot(queueRootOptions(config.REDIS_URL, prefix)),
      ],
      providers: [{ provide: INTERCEPTION_CONFIG, useValue: config }],
    };
  }
}
