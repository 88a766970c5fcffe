import { DeadLettersHttpController } from './dead-letters/dead-letters.http-controller';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import { RedisModule } from '@sms/platform-redis';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { AdminAccountsHttpController } from './accounts/admin-accounts.http-controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyVerifier } from './auth/api-key-verifier';
import { FailedAuthLimiter } from './auth/failed-auth-limiter';
import { RateLimiter } from './auth/rate-limiter';
import { BackendClientsModule } from './backends/backend-clients';
import { AdminBlockListHttpController } from './block-list/admin-block-list.http-controller';
import { BlockListHttpController } from './block-list/block-list.http-controller';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { ormSettings } from './database';
import { AdminMessagesHttpController } from './messages/admin-messages.http-controller';
import { MessagesHttpController } from './messages/messages.http-controller';
import {
  AdminRepliesHttpController,
  RepliesHttpController,
} from './replies/replies.http-controller';
import { HttpTransportErrorFilter } from './transport/http-error.filter';
import { RetentionWindowPipe } from './transport/request-validation';
import { SessionsModule } from './sessions/sessions.module';
import { AdminStatsHttpController } from './stats/admin-stats.http-controller';
import { StatsHttpController } from './stats/stats.http-controller';
import { UnsubscribesHttpController } from './unsubscribes/unsubscribes.http-controller';
import {
  AdminInterceptionWordsHttpController,
  InterceptionWordsHttpController,
} from './interception-words/interception-words.http-controller';
import {
  AdminFrequencyLimitsHttpController,
  FrequencyLimitsHttpController,
} from './frequency-limits/frequency-limits.http-controller';
import { UsersService } from './users/users.service';
import { WebhooksHttpController } from './webhooks/webhooks.http-controller';

export const SERVICE_NAME = 'gateway';

@Global()
@Module({})
class GatewayConfigModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayConfigModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GatewayConfigModule.register(config),
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({
          url: config.REDIS_URL,
          clusterNodes: config.REDIS_CLUSTER_NODES,
          name: SERVICE_NAME,
        }),
        BackendClientsModule,
        SessionsModule,
      ],
      controllers: [
        MessagesHttpController,
        AdminMessagesHttpController,
        BlockListHttpController,
        AdminBlockListHttpController,
        UnsubscribesHttpController,
        RepliesHttpController,
        AdminRepliesHttpController,
        DeadLettersHttpController,
        StatsHttpController,
        AdminStatsHttpController,
        AdminAccountsHttpController,
        WebhooksHttpController,
        InterceptionWordsHttpController,
        AdminInterceptionWordsHttpController,
        FrequencyLimitsHttpController,
        AdminFrequencyLimitsHttpController,
      ],
      providers: [
        AccountsRepository,
        AccountsService,
        UsersService,
        ApiKeyVerifier,
        RateLimiter,
        ApiKeyGuard,
        RetentionWindowPipe,
        FailedAuthLimiter,
        { provide: APP_FILTER, useClass: HttpTransportErrorFilter },
      ],
    };
  }
}
