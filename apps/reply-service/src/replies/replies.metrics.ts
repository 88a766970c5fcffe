import { Inject, Injectable } from '@nestjs/common';
import { Counter, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';

/** The reply-service's own Prometheus series. */
@Injectable()
export class ReplyMetrics {
  /** Every reply outcome: result × attribution (attribution is '' for rejected/duplicate). */
  readonly replies: Counter<'result' | 'attribution'>;
  readonly keywordActions: Counter<'action' | 'effect'>;
  readonly statusLookups: Counter<'method' | 'outcome'>;
  readonly outboxApplied: Counter<'action'>;
  readonly outboxFailures: Counter<'action' | 'kind'>;
  readonly attributionsCompleted: Counter<'attribution'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.replies = new Counter({
      name: 'reply_replies_total',
      help: 'Replies received, by result and attribution',
      labelNames: ['result', 'attribution'],
      registers: [registry],
    });
    this.keywordActions = new Counter({
      name: 'reply_keyword_actions_total',
      help: 'Stored replies that asked to unsubscribe or resubscribe, and whether an effect was queued',
      labelNames: ['action', 'effect'],
      registers: [registry],
    });
    this.statusLookups = new Counter({
      name: 'reply_status_lookup_calls_total',
      help: 'Calls to status-tracker for attribution, by method and outcome',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    });
    this.outboxApplied = new Counter({
      name: 'reply_outbox_applied_total',
      help: 'Keyword effects applied on interception-service',
      labelNames: ['action'],
      registers: [registry],
    });
    this.outboxFailures = new Counter({
      name: 'reply_outbox_failures_total',
      help: 'Failed attempts to apply a keyword effect (retried) or refusals (final)',
      labelNames: ['action', 'kind'],
      registers: [registry],
    });
    this.attributionsCompleted = new Counter({
      name: 'reply_pending_attributions_completed_total',
      help: 'Replies stored while status-tracker was unreachable and attributed later',
      labelNames: ['attribution'],
      registers: [registry],
    });
  }
}
