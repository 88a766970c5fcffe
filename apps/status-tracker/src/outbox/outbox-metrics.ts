import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { FailureOutboxService } from './failure-outbox.service';

/** Outbox depth (table rows not yet enqueued, jobs not yet done) and RecordFailure failures. */
@Injectable()
export class OutboxMetrics {
  readonly failures: Counter<'permanent'>;
  readonly delivered: Counter;
  readonly deadLetters: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, outbox: FailureOutboxService) {
    this.failures = new Counter({
      name: 'status_outbox_failures_total',
      help: 'RecordFailure calls that failed (permanent=true: given up)',
      labelNames: ['permanent'],
      registers: [registry],
    });
    this.delivered = new Counter({
      name: 'status_outbox_delivered_total',
      help: 'Send failures handed to the interception service',
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'status_outbox_dead_letters_total',
      help: 'Send failures interception-service refused for good (INVALID_ARGUMENT): moved to failure_dead_letter',
      registers: [registry],
    });
    new Gauge({
      name: 'status_outbox_dead_letters',
      help: 'Rows in failure_dead_letter (listed at GET /v1/admin/dead-letters)',
      registers: [registry],
      async collect() {
        this.set((await outbox.depth()).deadLetters);
      },
    });
    new Gauge({
      name: 'status_outbox_depth',
      help: 'Send failures not yet confirmed: stage=table (rows waiting) or queue (jobs)',
      labelNames: ['stage'],
      registers: [registry],
      async collect() {
        const depth = await outbox.depth();
        this.set({ stage: 'table' }, depth.table);
        this.set({ stage: 'queue' }, depth.queued);
      },
    });
  }
}
