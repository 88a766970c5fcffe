import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { CodeCatalogue } from '@sms/domain-catalogue';
import { DatabaseModule } from '@sms/platform-database';
import { createLoggerModule } from '@sms/platform-logging';
import { ObservabilityModule } from '@sms/platform-metrics';
import {
  createRedisClient,
  hashTaggedPrefix,
  queueRootOptions,
  RedisModule,
  type RedisClient,
  whenReady,
} from '@sms/platform-redis';
import { BlockListRepository } from './block-list/block-list.repository';
import { BlockListService } from './block-list/block-list.service';
import { ChecksService } from './checks/checks.service';
import { CachedPhoneNormalizer } from './checks/phone-normalizer';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from './config';
import { ormSettings } from './database';
import { EXPIRY_QUEUE, ExpiryScheduler } from './expiry/expiry-scheduler';
import { ExpiryProcessor } from './expiry/expiry.processor';
import { ExpiryService } from './expiry/expiry.service';
import { BlockIndex, CHECK_REDIS, INTERCEPTION_KEY_PREFIX } from './hot-index/block-index';
import { IndexRebuilder } from './hot-index/index-rebuilder';
import { IndexStateRepository } from './hot-index/index-state.repository';
import { IndexTrust } from './hot-index/index-trust';
import { IndexWriter } from './hot-index/index-writer';
import { InterceptionGrpcController } from './interception/interception.grpc-controller';
import { InterceptionMetrics } from './observability/interception.metrics';
import { UnsubscribesRepository } from './unsubscribes/unsubscribes.repository';
import { UnsubscribesService } from './unsubscribes/unsubscribes.service';

export const SERVICE_NAME = 'interception-service';

@Module({})
export class AppModule {
  static register(config: InterceptionConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'interception');
    const redis = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
    const queues = queueRootOptions(redis, prefix);
    return {
      module: AppModule,
      imports: [
        createLoggerModule({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        ObservabilityModule.forRoot({ service: SERVICE_NAME }),
        DatabaseModule.forRoot(ormSettings(config)),
        RedisModule.forRoot({ ...redis, name: SERVICE_NAME }, queues),
        BullModule.forRoot(queues),
        BullModule.registerQueue({ name: EXPIRY_QUEUE }),
      ],
      controllers: [InterceptionGrpcController],
      providers: [
        { provide: INTERCEPTION_CONFIG, useValue: config },
        { provide: INTERCEPTION_KEY_PREFIX, useValue: prefix },
        {
          provide: CHECK_REDIS,
          // Checks must never wait for a reconnect: no offline queue, a short timeout, and
          // PostgreSQL answers instead.
          useFactory: async (): Promise<RedisClient> => {
            const client = createRedisClient({
              ...redis,
              name: `${SERVICE_NAME}-checks`,
              maxRetriesPerRequest: 0,
              extra: {
                enableOfflineQueue: false,
                enableAutoPipelining: false,
                commandTimeout: config.CHECK_REDIS_TIMEOUT_MS,
              },
            });
            // Each failed command already falls back to PostgreSQL; connection errors need no
            // second report (ioredis prints unhandled ones).
            client.on('error', () => undefined);
            // A cluster client refuses commands until it knows the slots: the start-up index
            // check would fail. Bounded: a Redis that is down must not hold the start.
            await whenReady(client, 10_000);
            return client;
          },
        },
        {
          provide: CodeCatalogue,
          useFactory: () => new CodeCatalogue(config.INTERCEPTION_DURATIONS),
        },
        {
          provide: CachedPhoneNormalizer,
          useFactory: () => new CachedPhoneNormalizer(config.CHECK_PHONE_CACHE_SIZE),
        },
        InterceptionMetrics,
        BlockIndex,
        ExpiryScheduler,
        IndexTrust,
        IndexStateRepository,
        IndexWriter,
        IndexRebuilder,
        BlockListRepository,
        BlockListService,
        UnsubscribesRepository,
        UnsubscribesService,
        ChecksService,
        ExpiryService,
        ExpiryProcessor,
      ],
    };
  }
}
