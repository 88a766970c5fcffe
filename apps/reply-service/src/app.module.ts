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
import { AttributionService } from './attribution/attribution.service';
import { statusClientProvider } from './attribution/status.client';
import { REPLY_CONFIG, type ReplyConfig } from './config';
import { ormSettings } from './database';
import { interceptionClientProvider } from './keyword-effects/interception.client';
import { KeywordEffectsProcessor } from './keyword-effects/keyword-effects.processor';
import { KeywordEffectsRepository } from './keyword-effects/keyword-effects.repository';
import {
  KEYWORD_EFFECTS_QUEUE,
  KeywordEffectsService,
} from './keyword-effects/keyword-effects.service';
import { KeywordMatcher } from './keywords/keyword-matcher';
import { PendingAttributionProcessor } from './replies/pending-attribution.processor';
import { RepliesGrpcController } from './replies/replies.grpc-controller';
import { ReplyMetrics } from './replies/replies.metrics';
import { RepliesRepository } from './replies/replies.repository';
import {
  KEYWORD_MATCHER,
  PENDING_ATTRIBUTION_QUEUE,
  RepliesService,
} from './replies/replies.service';
import { RetentionProcessor } from './retention/retention.processor';
import { RetentionRepository } from './retention/retention.repository';
import { RETENTION_QUEUE, RetentionService } from './retention/retention.service';
import { ReplyWebhookRelay } from './webhook-events/reply-webhook.relay';

export const SERVICE_NAME = 'reply-service';

@Module({})
export class AppModule {
  static register(config: ReplyConfig): DynamicModule {
    const prefix = hashTaggedPrefix(config.REDIS_PREFIX, 'reply');
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
        BullModule.registerQueue(
          { name: KEYWORD_EFFECTS_QUEUE },
          { name: PENDING_ATTRIBUTION_QUEUE },
          { name: RETENTION_QUEUE },
        ),
      ],
      controllers: [RepliesGrpcController],
      providers: [
        { provide: REPLY_CONFIG, useValue: config },
        {
          provide: KEYWORD_MATCHER,
          // Built at start-up: a keyword in both lists stops the service with a clear error.
          useFactory: () =>
            new KeywordMatcher({
              unsubscribe: config.UNSUBSCRIBE_KEYWORDS,
              resubscribe: config.RESUBSCRIBE_KEYWORDS,
            }),
        },
        ReplyMetrics,
        statusClientProvider,
        interceptionClientProvider,
        AttributionService,
        RepliesRepository,
        RepliesService,
        PendingAttributionProcessor,
        KeywordEffectsRepository,
        KeywordEffectsService,
        KeywordEffectsProcessor,
        RetentionRepository,
        RetentionService,
        RetentionProcessor,
        ReplyWebhookRelay,
      ],
    };
  }
}
