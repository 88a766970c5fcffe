import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import type { EntryStateName } from '../block-list/block-entry.entity';
import type { VerdictName } from '../checks/verdict';

export type AnsweredFrom = 'redis' | 'postgres';

/** The service's own metrics (SPEC 3 / issue 3 §8), in the app's registry. */
@Injectable()
export class InterceptionMetrics {
  private readonly checks: Counter<'verdict' | 'answered_from'>;
  private readonly checkDuration: Histogram<'method' | 'answered_from'>;
  private readonly entries: Gauge<'state'>;
  private readonly expiryLateness: Histogram<'expired_by'>;
  private readonly indexWriteFailures: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.checks = new Counter({
      name: 'interception_checks_total',
      help: 'Numbers checked, by verdict and by where the answer came from',
      labelNames: ['verdict', 'answered_from'],
      registers: [registry],
    });
    this.checkDuration = new Histogram({
      name: 'interception_check_duration_seconds',
      help: 'Server time of Check and CheckBatch calls',
      labelNames: ['method', 'answered_from'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    });
    this.entries = new Gauge({
      name: 'interception_entries',
      help: 'Block-list entries by state (refreshed by the expiry sweep)',
      labelNames: ['state'],
      registers: [registry],
    });
    this.expiryLateness = new Histogram({
      name: 'interception_expiry_lateness_seconds',
      help: 'now - expires_at when an entry is moved to EXPIRED',
      labelNames: ['expired_by'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30, 60, 300],
      registers: [registry],
    });
    this.indexWriteFailures = new Counter({
      name: 'interception_index_write_failures_total',
      help: 'Redis index writes that failed after PostgreSQL committed (the reconciler repairs them)',
      registers: [registry],
    });
  }

  checked(
    method: 'check' | 'check_batch',
    from: AnsweredFrom,
    verdicts: readonly VerdictName[],
    startedAt: bigint,
  ): void {
    this.checkDuration
      .labels(method, from)
      .observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    if (verdicts.length === 1) {
      this.checks.labels(verdicts[0], from).inc();
      return;
    }
    const counts = new Map<VerdictName, number>();
    for (const verdict of verdicts) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    for (const [verdict, count] of counts) this.checks.labels(verdict, from).inc(count);
  }

  entriesByState(counts: Record<EntryStateName, number>): void {
    for (const [state, count] of Object.entries(counts)) this.entries.labels(state).set(count);
  }

  expired(expiredBy: 'job' | 'sweep', expiresAt: Date, now = Date.now()): void {
    this.expiryLateness.labels(expiredBy).observe(Math.max(0, now - expiresAt.getTime()) / 1000);
  }

  indexWriteFailed(): void {
    this.indexWriteFailures.inc();
  }
}
