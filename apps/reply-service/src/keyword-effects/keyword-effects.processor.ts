import { Processor, WorkerHost } from '@nestjs/bullmq';
import { runInJobSpan } from '@sms/platform-tracing';
import { UnrecoverableError, type Job } from 'bullmq';
import {
  CAPPED_EXPONENTIAL,
  cappedExponentialDelay,
  type KeywordEffectJobData,
} from './keyword-effects.backoff';
import { KeywordEffectRefusedError } from './keyword-effects.errors';
import {
  APPLY_EFFECT_JOB,
  KEYWORD_EFFECTS_QUEUE,
  KeywordEffectsService,
} from './keyword-effects.service';

@Processor(KEYWORD_EFFECTS_QUEUE, {
  concurrency: 8,
  settings: {
    backoffStrategy: (attemptsMade, type, _error, job) => {
      const data = job?.data as KeywordEffectJobData | undefined;
      if (type !== CAPPED_EXPONENTIAL || !data) return 1000;
      return cappedExponentialDelay(attemptsMade, data.backoffMs, data.backoffMaxMs);
    },
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
