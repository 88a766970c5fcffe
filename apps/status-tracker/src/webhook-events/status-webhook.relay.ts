import { MikroORM } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GRPC_SERVICES, type commonV1, type webhookV1 } from '@sms/contracts';
import { PageTokenCodec } from '@sms/domain-page-token';
import { Sql } from '@sms/platform-database';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import {
  toProtoDeadLetter,
  webhookDeadLetterPage,
  webhookRelayMetrics,
  WebhookOutboxRelay,
  WebhookOutboxTable,
} from '@sms/platform-outbox';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { InvalidDeadLetterQueryError } from '../outbox/failure-outbox.service';

/**
 * message.status events for customers' webhooks: the relay from webhook_outbox (written in the
 * ingest transaction) to the webhook-dispatcher, and the operators' list of the events it refused
 * for good.
 */
@Injectable()
export class StatusWebhookRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly client: GrpcClient<webhookV1.WebhookServiceClient>;
  private readonly table: WebhookOutboxTable;
  private readonly relay: WebhookOutboxRelay;
  private readonly tokens: PageTokenCodec;

  constructor(
    orm: MikroORM,
    @Inject(STATUS_CONFIG) config: StatusConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.client = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: config.WEBHOOK_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_STATUS_TRACKER,
    });
    this.table = new WebhookOutboxTable(() => Sql.fork(orm));
    this.relay = new WebhookOutboxRelay({
      table: this.table,
      publisher: this.client,
      batch: config.WEBHOOK_RELAY_BATCH,
      intervalMs: config.WEBHOOK_RELAY_INTERVAL_MS,
      log: new Logger(StatusWebhookRelay.name),
      ...webhookRelayMetrics(registry, 'status', this.table),
    });
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
    this.client.close();
  }

  /** An ingest commit wrote events: hand them over now rather than at the next timer round. */
  kick(): void {
    this.relay.kick();
  }

  async listDeadLetters(
    pageSize: number,
    pageToken: string,
  ): Promise<{ deadLetters: commonV1.DeadLetter[]; nextPageToken: string }> {
    const page = await webhookDeadLetterPage(
      this.table,
      this.tokens,
      { pageSize, pageToken },
      (message) => new InvalidDeadLetterQueryError(message),
    );
    return {
      deadLetters: page.deadLetters.map(toProtoDeadLetter),
      nextPageToken: page.nextPageToken,
    };
  }
}
