import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { DeliveriesRepository } from './deliveries.repository';

/** The webhook-dispatcher's own Prometheus series. */
@Injectable()
export class WebhookMetrics {
  /** Events handed over by the outboxes: result = stored | duplicate | without_endpoint | rejected. */
  readonly events: Counter<'type' | 'result'>;
  /** Attempts by outcome: delivered | http_error | timeout | refused | network. */
  readonly attempts: Counter<'outcome'>;
  /** Deliveries that reached a final state: delivered | failed. */
  readonly deliveries: Counter<'status'>;
  /** From the state change to the receiver's 2xx. */
  readonly lag: Histogram;
  readonly endpointsDisabled: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, repository: DeliveriesRepository) {
    this.events = new Counter({
      name: 'webhook_events_total',
      help: 'Events handed over by the outboxes, by type and result',
      labelNames: ['type', 'result'],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'HTTP attempts to customer endpoints, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Deliveries finished: delivered, or failed after every retry',
      labelNames: ['status'],
      registers: [registry],
    });
    this.lag = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'Time from the state change to the endpoint accepting its event',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800, 7200, 86_400],
      registers: [registry],
    });
    this.endpointsDisabled = new Counter({
      name: 'webhook_endpoints_disabled_total',
      help: 'Endpoints disabled automatically after failing for WEBHOOK_DISABLE_AFTER_MS',
      registers: [registry],
    });
    new Gauge({
      name: 'webhook_pending_deliveries',
      help: 'Deliveries waiting for their first or next attempt',
      registers: [registry],
      async collect() {
        this.set(await repository.pendingCount());
      },
    });
  }
}
