import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { EndpointsService } from '../endpoints/endpoints.service';
import { sendWebhook, type AttemptResult, type SendSettings } from '../outbound/webhook-sender';
import { webhookHeaders } from '../signing/standard-webhooks';
import { DeliveriesRepository } from './deliveries.repository';
import { DELIVERY_QUEUE, type DeliveryJobData } from './deliveries.service';
import { EndpointSlots } from './endpoint-slots';
import { retryDelay } from './retry-schedule';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookMetrics } from './webhook-metrics';

/** The JSON body of an event: Standard Webhooks' `type`, `timestamp` and `data`. */
export function webhookBody(event: {
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: event.data,
  });
}

/**
 * One attempt per run of a delivery job. A failure moves the same job to the delayed set until
 * the next retry (the schedule and the attempts live in the row, not in BullMQ's counters); a
 * full endpoint (per-endpoint limit) postpones the job without counting an attempt.
 */
@Processor(DELIVERY_QUEUE)
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private readonly send: SendSettings;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpointsRepository: EndpointsRepository,
    private readonly endpoints: EndpointsService,
    private readonly slots: EndpointSlots,
    private readonly metrics: WebhookMetrics,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    super();
    this.send = {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      allowed: config.WEBHOOK_ALLOWED_CIDRS.list,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
    };
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WEBHOOK_WORKER_CONCURRENCY;
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    const em = this.deliveries.fork();
    const delivery = await this.deliveries.find(em, job.data.deliveryId);
    if (!delivery || delivery.round !== job.data.round || delivery.status !== 'PENDING') {
      return 'stale';
    }
    const endpoint = await this.endpointsRepository.byId(em, delivery.endpointId);
    if (!endpoint || endpoint.deletedAt || !endpoint.enabled) {
      await this.finish(delivery, {
        status: 'FAILED',
        lastError: `endpoint disabled: ${endpoint?.disabledReason || 'deleted'}`,
      });
      this.metrics.deliveries.inc({ status: 'failed' });
      return 'endpoint-disabled';
    }
    const event = await this.deliveries.event(em, delivery.eventId);
    if (!event)
      throw new Error(`event ${delivery.eventId} of delivery ${delivery.deliveryId} is gone`);

    const lease = await this.slots.acquire(endpoint.endpointId);
    if (!lease) {
      // The endpoint has its limit of attempts in flight: try again shortly, no attempt counted.
      await job.moveToDelayed(Date.now() + 50 + Math.floor(Math.random() * 200), token);
      throw new DelayedError();
    }
    let result: AttemptResult;
    try {
      const body = webhookBody(event);
      const headers = webhookHeaders(
        this.endpoints.secretOf(endpoint),
        event.eventId,
        Math.floor(Date.now() / 1000),
        body,
      );
      result = await sendWebhook({ url: endpoint.url, headers, body }, this.send);
    } finally {
      await this.slots.release(endpoint.endpointId, lease);
    }

    const now = new Date();
    const attempts = delivery.attempts + 1;
    if (result.outcome === 'delivered') {
      await this.finish(delivery, {
        status: 'DELIVERED',
        attempts,
        lastHttpCode: result.httpCode,
        lastError: '',
        nextAttemptAt: null,
      });
      if (endpoint.failingSince) await this.endpointsRepository.markHealthy(endpoint.endpointId);
      this.metrics.attempts.inc({ outcome: 'delivered' });
      this.metrics.deliveries.inc({ status: 'delivered' });
      this.metrics.lag.observe((now.getTime() - event.occurredAt.getTime()) / 1000);
      return 'delivered';
    }

    this.metrics.attempts.inc({ outcome: attemptOutcome(result) });
    const delay = result.retry
      ? retryDelay(
          attempts,
          this.config.WEBHOOK_RETRY_DELAYS_MS,
          this.config.WEBHOOK_RETRY_JITTER,
          Math.random(),
        )
      : null;
    if (
      await this.endpointsRepository.markFailing(
        endpoint.endpointId,
        now,
        this.config.WEBHOOK_DISABLE_AFTER_MS,
        result.error,
      )
    ) {
      this.metrics.endpointsDisabled.inc();
      this.logger.warn(`endpoint ${endpoint.endpointId} disabled: failing for too long`);
    }
    if (delay === null) {
      await this.finish(delivery, {
        status: 'FAILED',
        attempts,
        lastHttpCode: result.httpCode,
        lastError: result.error,
        nextAttemptAt: null,
      });
      this.metrics.deliveries.inc({ status: 'failed' });
      return 'failed';
    }
    const next = new Date(now.getTime() + delay);
    await this.finish(delivery, {
      attempts,
      lastHttpCode: result.httpCode,
      lastError: result.error,
      nextAttemptAt: next,
    });
    await job.moveToDelayed(next.getTime(), token);
    throw new DelayedError();
  }

  /** Writes the attempt's outcome unless a redeliver started a newer round meanwhile. */
  private async finish(
    delivery: WebhookDelivery,
    changes: Partial<WebhookDelivery>,
  ): Promise<void> {
    await this.deliveries
      .fork()
      .nativeUpdate(
        WebhookDelivery,
        { deliveryId: delivery.deliveryId, round: delivery.round },
        { ...changes, updatedAt: new Date() },
      );
  }
}

function attemptOutcome(result: Extract<AttemptResult, { outcome: 'failed' }>): string {
  if (result.httpCode) return 'http_error';
  if (!result.retry || /resolves to|does not resolve/.test(result.error)) return 'refused';
  if (/no answer within/.test(result.error)) return 'timeout';
  return 'network';
}
