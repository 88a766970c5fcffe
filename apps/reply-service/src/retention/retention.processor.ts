import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { RETENTION_QUEUE, RetentionService, type RetentionRun } from './retention.service';

@Processor(RETENTION_QUEUE)
export class RetentionProcessor extends WorkerHost {
  constructor(private readonly retention: RetentionService) {
    super();
  }

  async process(_job: Job): Promise<RetentionRun> {
    return this.retention.maintain(new Date());
  }
}
