import { Inject, Injectable, Logger } from '@nestjs/common';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { WebhookRetentionRepository } from './webhook-retention.repository';

export interface RetentionRun {
  readonly cutoff: string;
  readonly deliveries: number;
  readonly events: number;
}

const DAY_MS = 86_400_000;

/**
 * Keeps webhook_delivery and webhook_event from growing for ever: delivered and failed
 * deliveries older than WEBHOOK_RETENTION_DAYS go, then the events none of whose deliveries is
 * left. Pending deliveries (and so their events) stay whatever their age; a redelivered one is
 * pending again and counts from its redelivery.
 */
@Injectable()
export class WebhookRetentionService {
  private readonly logger = new Logger(WebhookRetentionService.name);

  constructor(
    private readonly repository: WebhookRetentionRepository,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async purge(now: Date): Promise<RetentionRun> {
    const cutoff = new Date(now.getTime() - this.config.WEBHOOK_RETENTION_DAYS * DAY_MS);
    const batch = this.config.WEBHOOK_RETENTION_BATCH;
    let deliveries = 0;
    for (let deleted = batch; deleted === batch; deliveries += deleted) {
      deleted = await this.repository.deleteFinishedDeliveries(cutoff, batch);
    }
    let events = 0;
    for (let deleted = batch; deleted === batch; events += deleted) {
      deleted = await this.repository.deleteEventsWithoutDeliveries(cutoff, batch);
    }
    if (deliveries || events) {
      this.logger.log(
        `retention removed ${deliveries} deliveries and ${events} events older than ${cutoff.toISOString()}`,
      );
    }
    return { cutoff: cutoff.toISOString(), deliveries, events };
  }
}
