import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { FrequencyLimitsCache } from '../frequency-limits/frequency-limits-cache';
import { WordLists } from '../interception-words/word-lists';
import type { AdmitOutcome } from './admission-result';

/** What a replica holds in memory for admission and polls for changes. */
type Settings = 'interception_words' | 'frequency_limits';

/**
 * Admission's metrics, in the app's registry (dashboards and alerts in deploy/observability):
 * decisions by reason, server time, frequency-limit refusals by scope, and how current each
 * replica's in-memory word lists and frequency limits are.
 */
@Injectable()
export class AdmissionMetrics {
  private readonly decisions: Counter<'reason'>;
  private readonly duration: Histogram<'method'>;
  private readonly overruns: Counter<'scope'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    words: WordLists,
    limits: FrequencyLimitsCache,
  ) {
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
      // 0.04: SPEC 7's AdmitBatch(1000) p99 goal, a bucket edge so the alert reads it exactly.
      buckets: [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.04, 0.05, 0.1, 0.5, 1,
      ],
      registers: [registry],
    });
    this.overruns = new Counter({
      name: 'interception_admission_frequency_overruns_total',
      help: 'Messages refused FREQUENCY_OVERRUN, by the scope of the full window (TEMPLATE or ACCOUNT)',
      labelNames: ['scope'],
      registers: [registry],
    });
    const state: Record<Settings, () => { revision: string; reloadedAtMs: number }> = {
      interception_words: () => words.state,
      frequency_limits: () => limits.state,
    };
    new Gauge({
      name: 'interception_admission_settings_revision',
      help: 'Revision of the word lists / frequency limits this replica holds in memory',
      labelNames: ['settings'],
      registers: [registry],
      collect() {
        for (const [settings, of] of Object.entries(state))
          this.labels(settings).set(Number(of().revision));
      },
    });
    new Gauge({
      name: 'interception_admission_settings_reload_age_seconds',
      help: 'Seconds since this replica last read changes of its word lists / frequency limits',
      labelNames: ['settings'],
      registers: [registry],
      collect() {
        const now = Date.now();
        for (const [settings, of] of Object.entries(state)) {
          const { reloadedAtMs } = of();
          // Not loaded yet: no age to report.
          if (reloadedAtMs > 0) this.labels(settings).set((now - reloadedAtMs) / 1000);
        }
      },
    });
  }

  admitted(
    method: 'admit' | 'admit_batch',
    outcomes: readonly AdmitOutcome[],
    startedAt: bigint,
  ): void {
    this.duration.labels(method).observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    const counts = new Map<string, number>();
    let template = 0;
    let account = 0;
    for (const { reason, frequency } of outcomes) {
      counts.set(reason ?? 'ALLOW', (counts.get(reason ?? 'ALLOW') ?? 0) + 1);
      if (frequency?.scope === 'TEMPLATE') template += 1;
      else if (frequency?.scope === 'ACCOUNT') account += 1;
    }
    for (const [reason, count] of counts) this.decisions.labels(reason).inc(count);
    if (template) this.overruns.labels('TEMPLATE').inc(template);
    if (account) this.overruns.labels('ACCOUNT').inc(account);
  }
}
