import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Inject,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { queueErrorReporter, REDIS, type RedisClient } from '@sms/platform-redis';
import { DelayedError, type Job } from 'bullmq';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { EXPIRY_QUEUE, SWEEP_JOB, type ExpireJobData } from './expiry-scheduler';
import { ExpiryService } from './expiry.service';

@Processor(EXPIRY_QUEUE)
export class ExpiryProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    private readonly expiry: ExpiryService,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.EXPIRY_CONCURRENCY;
  }

  private readonly reportError = queueErrorReporter((message) =>
    new Logger(ExpiryProcessor.name).warn(message),
  );

  /** Registered when the worker is made, so errors while Redis is down at start are caught too. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.reportError(error);
  }

  /**
   * With Redis unreachable a graceful worker close waits for a reconnect forever; there is
   * nothing in flight to finish then, so close without waiting (jobs stay in Redis anyway).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.redis.status !== 'ready') await this.worker.close(true);
  }

  async process(job: Job<ExpireJobData>, token?: string): Promise<string | number> {
    if (job.name === SWEEP_JOB) return this.expiry.sweep();
    const result = await this.expiry.expire(job.data.entryId, job.data.version);
    if (result.kind === 'not-due' && token) {
      // Early (clock skew between hosts): come back exactly at the expiry.
      await job.moveToDelayed(result.dueAt.getTime(), token);
      throw new DelayedError();
    }
    return result.kind;
  }
}
