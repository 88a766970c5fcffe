import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { MaintenanceService } from './maintenance.service';

export const MAINTENANCE_QUEUE = 'status-maintenance';

export const MAINTENANCE_JOBS = {
  partitions: 'partitions',
  receiptTimeouts: 'receipt-timeouts',
  parkedExpiry: 'parked-expiry',
  outboxRelay: 'outbox-relay',
} as const;

/** Runs the repeatable maintenance jobs; one worker per process, jobs run one at a time. */
@Processor(MAINTENANCE_QUEUE, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly maintenance: MaintenanceService,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {
    super();
  }

  /** Job schedulers are upserts: every replica declares the same ones, Redis keeps one each. */
  async onApplicationBootstrap(): Promise<void> {
    const schedules: [string, number][] = [
      [MAINTENANCE_JOBS.partitions, this.config.PARTITION_INTERVAL_MS],
      [MAINTENANCE_JOBS.receiptTimeouts, this.config.SWEEP_INTERVAL_MS],
      [MAINTENANCE_JOBS.parkedExpiry, this.config.SWEEP_INTERVAL_MS],
      [MAINTENANCE_JOBS.outboxRelay, this.config.OUTBOX_RELAY_INTERVAL_MS],
    ];
    for (const [name, every] of schedules) {
      await this.queue.upsertJobScheduler(
        name,
        { every },
        { name, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    }
  }

  async process(job: Job): Promise<unknown> {
    const now = new Date();
    switch (job.name) {
      case MAINTENANCE_JOBS.partitions: {
        const result = await this.maintenance.maintainPartitions(now);
        if (result.created.length || result.dropped.length)
          this.logger.log(
            `partitions created: [${result.created.join(', ')}], dropped: [${result.dropped.join(', ')}]`,
          );
        return result;
      }
      case MAINTENANCE_JOBS.receiptTimeouts:
        return { applied: await this.maintenance.applyReceiptTimeouts(now) };
      case MAINTENANCE_JOBS.parkedExpiry:
        return { dropped: await this.maintenance.expireParked(now) };
      case MAINTENANCE_JOBS.outboxRelay:
        return { enqueued: await this.maintenance.relayOutbox(now) };
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }
}
