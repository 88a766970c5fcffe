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
  workerClassWithLocks,
} from '@sms/platform-redis';
import { createAdmissionPhones } from './admission/admission-phones';
import { AdmissionGrpcController } from './admission/admission.grpc-controller';
import { AdmissionMetrics } from './admission/admission.metrics';
import {
  ADMISSION_PHONES,
  AdmissionService,
  FREQUENCY_LIMITER,
} from './admission/admission.service';
import { FrequencyLimiter } from './admission/frequency-limiter';
import { BlockListRepository } from './block-list/block-list.repository';
import { BlockListService } from './block-list/block-list.service';
import { ChecksService } from './checks/checks.service';
import { CachedPhoneNormalizer } from './checks/phone-normalizer';
import { EncodedEntryCache } from './interception/encoded-entry-cache';
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
import { FrequencyLimitsCache } from './frequency-limits/frequency-limits-cache';
import { FrequencyLimitsGrpcController } from './frequency-limits/frequency-limits.grpc-controller';
import { FrequencyLimitsRepository } from './frequency-limits/frequency-limits.repository';
import { FrequencyLimitsService } from './frequency-limits/frequency-limits.service';
import { InterceptionGrpcController } from './interception/interception.grpc-controller';
import { InterceptionWordsGrpcController } from './interception-words/interception-words.grpc-controller';
import { InterceptionWordsRepository } from './interception-words/interception-words.repository';
import { InterceptionWordsService } from './interception-words/interception-words.service';
import { WordLists } from './interception-words/word-lists';
import { InterceptionMetrics } from './observability/interception.metrics';
import { UnsubscribesRepository } from './unsubscribes/unsubscribes.repository';
import { UnsubscribesService } from './unsubscribes/unsubscribes.service';
import { InterceptionWebhookRelay } from './webhook-events/interception-webhook.relay';
import { WebhookEventsGrpcController } from './webhook-events/webhook-events.grpc-controller';

export const SERVICE_NAME = 'interception-service';

@Module({})
export class AppModule {
  static register(config: InterceptionConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'interception');
    const redis = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES };
    const queues = queueRootOptions(redis, prefix);
    // Workers are built at init from this class: a killed replica's jobs return after these times.
    BullModule.workerClass = workerClassWithLocks(config);
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
      controllers: [
        InterceptionGrpcController,
        AdmissionGrpcController,
        InterceptionWordsGrpcController,
        WebhookEventsGrpcController,
        FrequencyLimitsGrpcController,
      ],
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
          useFactory: () => new CachedPhoneNormalizer(config.CHECK_PHONE_CACHE_BYTES),
        },
        {
          provide: EncodedEntryCache,
          useFactory: () => new EncodedEntryCache(config.CHECK_ENTRY_CACHE_BYTES),
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
        {
          provide: FREQUENCY_LIMITER,
          // The send path's connection (fails fast); keys are `<REDIS_PREFIX>:admission:{account:phone}…`,
          // each number in a hash slot of its own.
          useFactory: (redis: RedisClient) =>
            new FrequencyLimiter(redis, `${config.REDIS_PREFIX}:admission:`),
          inject: [CHECK_REDIS],
        },
        {
          provide: ADMISSION_PHONES,
          useFactory: () => createAdmissionPhones(config.ADMISSION_PHONE_CACHE_BYTES),
        },
        AdmissionMetrics,
        AdmissionService,
        InterceptionWordsRepository,
        InterceptionWordsService,
        WordLists,
        InterceptionWebhookRelay,
        FrequencyLimitsRepository,
        FrequencyLimitsCache,
        FrequencyLimitsService,
      ],
    };
  }
}
