import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { WebhookEventsRelay } from '@sms/platform-outbox';
import { REPLY_CONFIG, type ReplyConfig } from '../config';
import { InvalidDeadLetterQueryError } from '../keyword-effects/keyword-effects.service';

/**
 * reply.received events for customers' webhooks: the relay from webhook_outbox (written with the
 * replies) to the webhook-dispatcher, and the operators' list of the events it refused for good.
 */
@Injectable()
export class ReplyWebhookRelay extends WebhookEventsRelay {
  constructor(
    orm: MikroORM,
    @Inject(REPLY_CONFIG) config: ReplyConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super({
      orm,
      registry,
      service: 'reply',
      log: new Logger(ReplyWebhookRelay.name),
      target: config.WEBHOOK_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_REPLY_SERVICE,
      batch: config.WEBHOOK_RELAY_BATCH,
      intervalMs: config.WEBHOOK_RELAY_INTERVAL_MS,
      tokens: new PageTokenCodec(config.PAGE_TOKEN_SECRET),
      invalidQuery: (message) => new InvalidDeadLetterQueryError(message),
    });
  }
}
