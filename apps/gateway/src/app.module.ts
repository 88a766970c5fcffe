import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import { RedisModule } from '@sms/platform-redis';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { ormSettings } from './database';

export const SERVICE_NAME = 'gateway';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({ url: config.REDIS_URL, name: SERVICE_NAME }),
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
    };
  }
}
