import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { WebhookEventsRelay } from '@sms/platform-outbox';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { InvalidDeadLetterQueryError } from './webhook-events.errors';

/**
 * unsubscribe.changed and block_list.entry_created events for customers' webhooks: the relay from
 * webhook_outbox (written in the transaction of the change) to the webhook-dispatcher, and the
 * operators' list of the events it refused for good.
 */
@Injectable()
export class InterceptionWebhookRelay extends WebhookEventsRelay {
  constructor(
    orm: MikroORM,
    @Inject(INTERCEPTION_CONFIG) config: InterceptionConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super({
      orm,
      registry,
      service: 'interception',
      log: new Logger(InterceptionWebhookRelay.name),
      target: config.WEBHOOK_GRPC_TARGET,
      deadlineMs: config.WEBHOOK_GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_INTERCEPTION_SERVICE,
      batch: config.WEBHOOK_RELAY_BATCH,
      intervalMs: config.WEBHOOK_RELAY_INTERVAL_MS,
      tokens: new PageTokenCodec(config.PAGE_TOKEN_SECRET),
      invalidQuery: (message) => new InvalidDeadLetterQueryError(message),
    });
  }
}
