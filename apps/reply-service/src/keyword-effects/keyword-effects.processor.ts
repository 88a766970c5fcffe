import { Processor, WorkerHost } from '@nestjs/bullmq';
import { runInJobSpan } from '@sms/platform-tracing';
import { UnrecoverableError, type Job } from 'bullmq';
import { cappedExponentialStrategy } from '@sms/platform-outbox';
import type { KeywordEffectJobData } from './keyword-effects.backoff';
import { KeywordEffectRefusedError } from './keyword-effects.errors';
import {
  APPLY_EFFECT_JOB,
  KEYWORD_EFFECTS_QUEUE,
  KeywordEffectsService,
} from './keyword-effects.service';

@Processor(KEYWORD_EFFECTS_QUEUE, {
  concurrency: 8,
  settings: {
    backoffStrategy: cappedExponentialStrategy(
      (data) => (data as Partial<KeywordEffectJobData>).backoffMaxMs,
    ),
  },
})
export class KeywordEffectsProcessor extends WorkerHost {
  constructor(private readonly effects: KeywordEffectsService) {
    super();
  }

  async process(job: Job<KeywordEffectJobData>): Promise<unknown> {
    if (job.name !== APPLY_EFFECT_JOB) return this.effects.relay();
    return runInJobSpan('keyword-effect apply', job.data.trace, async () => {
      try {
        return await this.effects.apply(job.data.replyId);
      } catch (error) {
        if (error instanceof KeywordEffectRefusedError) throw new UnrecoverableError(error.message);
        throw error;
      }
    });
  }
}
