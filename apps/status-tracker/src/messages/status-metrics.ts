import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { MessagesRepository } from './messages.repository';

/** Ingest metrics: events by kind and result, batch latency, parked receipts (now and dropped). */
@Injectable()
export class StatusMetrics {
  readonly events: Counter<'kind' | 'result'>;
  readonly batchSeconds: Histogram;
  readonly parkedExpired: Counter;
  readonly timeoutsApplied: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, repository: MessagesRepository) {
    this.events = new Counter({
      name: 'status_events_total',
      help: 'Events recorded, by kind and result',
      labelNames: ['kind', 'result'],
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'status_ingest_batch_seconds',
      help: 'RecordEvents batch latency',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    this.parkedExpired = new Counter({
      name: 'status_parked_receipts_expired_total',
      help: 'Receipts for unknown messages dropped after the parking time',
      registers: [registry],
    });
    new Gauge({
      name: 'status_parked_receipts',
      help: 'Receipts waiting for their ACCEPTED event',
      registers: [registry],
      async collect() {
        this.set(await repository.countParked());
      },
    });
    this.timeoutsApplied = new Counter({
      name: 'status_receipt_timeouts_total',
      help: 'Messages turned SEND_FAILED/590 by the wait-result timeout',
      registers: [registry],
    });
  }
}
