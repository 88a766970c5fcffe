import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GRPC_SERVICES, toTimestamp, type webhookV1 } from '@sms/contracts';
import { Counter, Gauge, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { cappedExponentialDelay } from '@sms/platform-outbox';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { WebhookOutboxRepository } from './webhook-outbox.repository';

const PARALLEL_ROUNDS = 3;

/**
 * Hands webhook_outbox rows to WebhookService.PublishEvents, oldest first, a batch per call: right
 * after each ingest commit (kick) and on a timer (what a crash or an outage left). Rows are
 * deleted in the transaction that locked them, after the dispatcher answered, so an event leaves
 * only once it is stored there; a failed call leaves them for the next round (the dispatcher is
 * idempotent on event ids). One round at a time per process while the outbox keeps up; a backlog
 * (a full batch) is worked off by PARALLEL_ROUNDS at once, each on rows the others skip, as
 * replicas do: a round spends most of its time waiting for the dispatcher, not working.
 */
@Injectable()
export class WebhookOutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookOutboxRelay.name);
  private readonly client: GrpcClient<webhookV1.WebhookServiceClient>;
  private readonly published: Counter<'result'>;
  private readonly failures: Counter;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private failedRounds = 0;
  private retryAt = 0;
  private stopped = false;

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.client = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: config.WEBHOOK_GRPC_TARGET,
      deadlineMs: config.GRPC_DEADLINE_MS,
      tls: config,
      callerToken: config.GRPC_TOKEN_STATUS_TRACKER,
    });
    this.published = new Counter({
      name: 'status_webhook_events_total',
      help: 'message.status events handed to the webhook-dispatcher (result=confirmed|dead_letter)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'status_webhook_relay_failures_total',
      help: 'PublishEvents calls that failed; their events stay in webhook_outbox and are retried',
      registers: [registry],
    });
    new Gauge({
      name: 'status_webhook_outbox_depth',
      help: 'Webhook events not yet confirmed (table=waiting in webhook_outbox, dead_letter=refused for good)',
      labelNames: ['table'],
      registers: [registry],
      collect: async function (this: Gauge<'table'>) {
        const depth = await outbox.depth();
        this.set({ table: 'waiting' }, depth.waiting);
        this.set({ table: 'dead_letter' }, depth.deadLetters);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.WEBHOOK_RELAY_INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.client.close();
  }

  /** Starts a round now, or right after the one running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (Date.now() < this.retryAt) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Rounds until the outbox is empty or a call fails. */
  private async drain(): Promise<void> {
    try {
      if ((await this.round()) === this.config.WEBHOOK_RELAY_BATCH) {
        const loops = await Promise.allSettled(
          Array.from({ length: PARALLEL_ROUNDS }, async () => {
            while (!this.stopped && (await this.round()) === this.config.WEBHOOK_RELAY_BATCH);
          }),
        );
        const failed = loops.find((loop) => loop.status === 'rejected');
        if (failed) throw failed.reason;
      }
      if (this.failedRounds) this.logger.log('webhook-dispatcher reachable again; outbox draining');
      this.failedRounds = 0;
      this.retryAt = 0;
    } catch (error) {
      this.failures.inc();
      this.failedRounds += 1;
      // Backs off while the dispatcher is away; the timer and new commits try again after that.
      this.retryAt =
        Date.now() +
        cappedExponentialDelay(this.failedRounds, 500, this.config.WEBHOOK_RELAY_INTERVAL_MS * 10);
      if (this.failedRounds === 1) {
        this.logger.warn(
          `PublishEvents failed, events stay in webhook_outbox and are retried: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async round(): Promise<number> {
    return this.outbox.sql().transaction(async (trx) => {
      const events = await this.outbox.claim(trx, this.config.WEBHOOK_RELAY_BATCH);
      if (!events.length) return 0;
      const response = await this.client.publishEvents({
        events: events.map((event) => ({
          eventId: event.eventId,
          type: event.type,
          accountId: event.accountId,
          occurredAt: toTimestamp(event.occurredAt),
          dataJson: JSON.stringify(event.data),
        })),
      });
      const rejected = response.rejected ?? [];
      await this.outbox.settle(
        trx,
        events.map((event) => event.id),
        rejected,
      );
      if (rejected.length) {
        this.logger.error(
          `webhook-dispatcher refused ${rejected.length} event(s) for good (webhook_dead_letter): ${rejected[0]?.reason}`,
        );
      }
      this.published.inc({ result: 'confirmed' }, events.length - rejected.length);
      if (rejected.length) this.published.inc({ result: 'dead_letter' }, rejected.length);
      return events.length;
    });
  }
}
