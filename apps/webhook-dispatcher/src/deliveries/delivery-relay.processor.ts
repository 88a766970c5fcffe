import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { DeliveriesService } from './deliveries.service';

export const RELAY_QUEUE = 'webhook-relay';
const RELAY_JOB = 'relay';

/** Repeatable: re-arms pending deliveries whose job was lost or failed. */
@Processor(RELAY_QUEUE)
export class DeliveryRelayProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly deliveries: DeliveriesService,
    @InjectQueue(RELAY_QUEUE) private readonly queue: Queue,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      RELAY_JOB,
      { every: this.config.RELAY_INTERVAL_MS },
      { name: RELAY_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  async process(_job: Job): Promise<number> {
    return this.deliveries.relay(new Date());
  }
}
