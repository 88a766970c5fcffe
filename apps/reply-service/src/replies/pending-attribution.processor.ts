import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { PENDING_ATTRIBUTION_QUEUE, RepliesService } from './replies.service';

/** Repeatable: attributes replies stored while status-tracker was unreachable. */
@Processor(PENDING_ATTRIBUTION_QUEUE)
export class PendingAttributionProcessor extends WorkerHost {
  constructor(private readonly replies: RepliesService) {
    super();
  }

  async process(_job: Job): Promise<number> {
    return this.replies.completePendingAttributions();
  }
}
