import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { WebhookRetentionService, type RetentionRun } from './webhook-retention.service';

export const RETENTION_QUEUE = 'webhook-retention';
export const RETENTION_JOB = 'purge';

/** Repeatable (daily by default), one run at a time over all replicas: BullMQ's scheduler. */
@Processor(RETENTION_QUEUE)
export class WebhookRetentionProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly retention: WebhookRetentionService,
    @InjectQueue(RETENTION_QUEUE) private readonly queue: Queue,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      RETENTION_JOB,
      { every: this.config.WEBHOOK_RETENTION_INTERVAL_MS },
      { name: RETENTION_JOB, opts: { removeOnComplete: 10, removeOnFail: 10 } },
    );
  }

  async process(_job: Job): Promise<RetentionRun> {
    return this.retention.purge(new Date());
  }
}
