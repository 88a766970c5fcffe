import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import type { AdmitOutcome } from './admission-result';

/** Admission's metrics, in the app's registry. */
@Injectable()
export class AdmissionMetrics {
  private readonly decisions: Counter<'reason'>;
  private readonly duration: Histogram<'method'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.decisions = new Counter({
      name: 'interception_admissions_total',
      help: 'Messages admitted, by reason (ALLOW or the process-failed reason)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'interception_admit_duration_seconds',
      help: 'Server time of Admit and AdmitBatch calls',
      labelNames: ['method'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    });
  }

  admitted(
    method: 'admit' | 'admit_batch',
    outcomes: readonly AdmitOutcome[],
    startedAt: bigint,
  ): void {
    this.duration.labels(method).observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    const counts = new Map<string, number>();
    for (const { reason } of outcomes)
      counts.set(reason ?? 'ALLOW', (counts.get(reason ?? 'ALLOW') ?? 0) + 1);
    for (const [reason, count] of counts) this.decisions.labels(reason).inc(count);
  }
}
