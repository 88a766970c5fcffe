import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { FrequencyLimits } from '../admission/frequency-limits';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { RevisionPoller } from '../reload/revision-poller';
import { effectiveLimits } from './effective-limits';
import { PLATFORM_DEFAULT_OWNER, type FrequencyLimitEntity } from './frequency-limit.entity';
import { FrequencyLimitsRepository } from './frequency-limits.repository';

/**
 * Every stored set of frequency limits, in memory, so admission never asks PostgreSQL: loaded at
 * start, then polled by revision like the interception words (FREQUENCY_LIMITS_RELOAD_INTERVAL_MS),
 * so a change applies on every replica within that interval.
 */
@Injectable()
export class FrequencyLimitsCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FrequencyLimitsCache.name);
  private readonly poller: RevisionPoller;
  private readonly stored = new Map<string, FrequencyLimitEntity>();
  private revision = '0';
  private reloadedAtMs = 0;

  constructor(
    private readonly repository: FrequencyLimitsRepository,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {
    this.poller = new RevisionPoller(
      'frequency limits',
      config.FREQUENCY_LIMITS_RELOAD_INTERVAL_MS,
      () => this.reloadChanged(),
      this.logger,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { revision, rows } = await this.repository.loadAll();
    for (const row of rows) if (row.limits) this.stored.set(row.owner, row);
    this.revision = revision;
    this.reloadedAtMs = Date.now();
    this.logger.log(`frequency limits loaded at revision ${revision}: ${rows.length} stored`);
    this.poller.start();
  }

  onApplicationShutdown(): void {
    this.poller.stop();
  }

  /** What admission applies to the account: its own, else the platform default, else config. */
  forAccount(accountId: string): FrequencyLimits {
    return effectiveLimits(accountId, this.stored, this.config.ADMISSION_FREQUENCY_LIMITS).limits;
  }

  /** The revision in memory and when the last poll succeeded (metrics). */
  get state(): { revision: string; reloadedAtMs: number } {
    return { revision: this.revision, reloadedAtMs: this.reloadedAtMs };
  }

  /** Applies the changes since the last reload now (the replica that made one, at once). */
  reload(): Promise<void> {
    return this.poller.poll();
  }

  private async reloadChanged(): Promise<void> {
    const changed = await this.repository.changedSince(this.revision);
    this.reloadedAtMs = Date.now();
    if (!changed) return;
    for (const row of changed.rows) {
      if (row.limits) this.stored.set(row.owner, row);
      else this.stored.delete(row.owner);
    }
    this.revision = changed.revision;
    // Rare, and what an operator checks when a limit seems not to apply.
    this.logger.log(
      `frequency limits reloaded at revision ${changed.revision}: ${changed.rows.map((r) => (r.owner === PLATFORM_DEFAULT_OWNER ? 'platform default' : r.owner)).join(', ')}`,
    );
  }
}
