import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { WebhookEventsRelay } from '@sms/platform-outbox';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { InvalidDeadLetterQueryError } from '../outbox/failure-outbox.service';

/**
 * message.status events for customers' webhooks: the relay from webhook_outbox (written in the
 * ingest transaction) to the webhook-dispatcher, and the operators' list of the events it refused
 * for good.
 */
@Injectable()
export class StatusWebhookRelay extends WebhookEventsRelay {
  constructor(
    orm: MikroORM,
    @Inject(STATUS_CONFIG) config: StatusConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super({
      orm,
      registry,
      service: 'status',
      log: new Logger(StatusWebhookRelay.name),
      target: config.WEBHOOK_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_STATUS_TRACKER,
      batch: config.WEBHOOK_RELAY_BATCH,
      intervalMs: config.WEBHOOK_RELAY_INTERVAL_MS,
      tokens: new PageTokenCodec(config.PAGE_TOKEN_SECRET),
      invalidQuery: (message) => new InvalidDeadLetterQueryError(message),
    });
  }
}
