import type { MikroORM } from '@mikro-orm/core';
import { GRPC_SERVICES, type commonV1, type webhookV1 } from '@sms/contracts';
import { Sql } from '@sms/platform-database';
import { createGrpcClient, type GrpcClient, type GrpcTlsSettings } from '@sms/platform-grpc';
import type { Registry } from '@sms/platform-metrics';
import {
  toProtoDeadLetter,
  webhookDeadLetterPage,
  webhookRelayMetrics,
  WebhookOutboxRelay,
  WebhookOutboxTable,
  type DeadLetterPageTokens,
  type WebhookRelayOptions,
} from './webhook-outbox';

export interface WebhookEventsRelaySettings {
  readonly orm: MikroORM;
  readonly registry: Registry;
  /** The `service` label of the relay's metrics: whose webhook_outbox this is. */
  readonly service: string;
  readonly log: WebhookRelayOptions['log'];
  /** The webhook-dispatcher, as this service calls it. */
  readonly target: string;
  readonly deadlineMs: number;
  readonly tls: GrpcTlsSettings;
  readonly callerToken: string;
  readonly batch: number;
  readonly intervalMs: number;
  readonly tokens: DeadLetterPageTokens;
  /** The service's own error for a bad dead-letter page request. */
  readonly invalidQuery: (message: string) => Error;
}

/**
 * One service's webhook events on their way to customers: the relay from its webhook_outbox
 * (written in the transaction of each change) to the webhook-dispatcher, and the operators' list
 * of the events the dispatcher refused for good. Each service subclasses it as a Nest provider
 * that starts it on bootstrap and stops it on shutdown.
 */
export class WebhookEventsRelay {
  private readonly client: GrpcClient<webhookV1.WebhookServiceClient>;
  private readonly table: WebhookOutboxTable;
  private readonly relay: WebhookOutboxRelay;

  constructor(private readonly settings: WebhookEventsRelaySettings) {
    this.client = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: settings.target,
      deadlineMs: settings.deadlineMs,
      tls: settings.tls,
      callerToken: settings.callerToken,
    });
    this.table = new WebhookOutboxTable(() => Sql.fork(settings.orm));
    this.relay = new WebhookOutboxRelay({
      table: this.table,
      publisher: this.client,
      batch: settings.batch,
      intervalMs: settings.intervalMs,
      log: settings.log,
      ...webhookRelayMetrics(settings.registry, settings.service, this.table),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
    this.client.close();
  }

  /** A commit wrote events: hand them over now rather than at the next timer round. */
  kick(): void {
    this.relay.kick();
  }

  async listDeadLetters(
    pageSize: number,
    pageToken: string,
  ): Promise<{ deadLetters: commonV1.DeadLetter[]; nextPageToken: string }> {
    const page = await webhookDeadLetterPage(
      this.table,
      this.settings.tokens,
      { pageSize, pageToken },
      this.settings.invalidQuery,
    );
    return {
      deadLetters: page.deadLetters.map(toProtoDeadLetter),
      nextPageToken: page.nextPageToken,
    };
  }
}
