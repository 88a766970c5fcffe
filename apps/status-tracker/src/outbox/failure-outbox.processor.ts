import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { GRPC_SERVICES, toTimestamp, type interceptionV1 } from '@sms/contracts';
import { createGrpcClient, GrpcStatus, type GrpcClient } from '@sms/platform-grpc';
import { UnrecoverableError, type Job, type MinimalJob } from 'bullmq';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { sendFailureCodeEnum } from '../messages/message-enums';
import { OutboxMetrics } from './outbox-metrics';
import {
  CAPPED_EXPONENTIAL,
  FAILURE_OUTBOX_QUEUE,
  type RecordFailureJobData,
} from './failure-outbox.service';

/** Doubling delays that stop growing at the job's maxBackoffMs. */
export function cappedExponentialBackoff(
  attemptsMade: number,
  type?: string,
  _error?: Error,
  job?: MinimalJob,
): number {
  if (type !== CAPPED_EXPONENTIAL) return 0;
  const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000;
  const cap = (job?.data as RecordFailureJobData | undefined)?.maxBackoffMs ?? 300_000;
  return Math.min(base * 2 ** Math.max(0, attemptsMade - 1), cap);
}

// Answers that will never change however often we retry.
const PERMANENT = new Set<number>([GrpcStatus.INVALID_ARGUMENT, GrpcStatus.FAILED_PRECONDITION]);

/** Calls InterceptionService.RecordFailure for each outbox job; failures retry with backoff. */
@Processor(FAILURE_OUTBOX_QUEUE, {
  concurrency: 8,
  settings: { backoffStrategy: cappedExponentialBackoff },
})
export class FailureOutboxProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(FailureOutboxProcessor.name);
  private readonly client: GrpcClient<interceptionV1.InterceptionServiceClient>;

  constructor(
    @Inject(STATUS_CONFIG) config: StatusConfig,
    private readonly metrics: OutboxMetrics,
  ) {
    super();
    this.client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target: config.INTERCEPTION_GRPC_TARGET,
        deadlineMs: config.GRPC_DEADLINE_MS,
        tls: config,
        callerToken: config.GRPC_TOKEN_STATUS_TRACKER,
      },
    );
  }

  async process(job: Job<RecordFailureJobData>): Promise<string> {
    const request = job.data.request as {
      accountId: string;
      phone: string;
      messageId: string;
      code: number;
      detail: string;
      occurredAt: string;
    };
    try {
      const response = await this.client.recordFailure({
        accountId: request.accountId,
        phone: request.phone,
        messageId: request.messageId,
        code: sendFailureCodeEnum.toProto(
          request.code,
        ) as interceptionV1.RecordFailureRequest['code'],
        detail: request.detail,
        occurredAt: toTimestamp(new Date(request.occurredAt)),
      });
      this.metrics.delivered.inc();
      return String(response.outcome);
    } catch (error) {
      const code = (error as { code?: number }).code;
      this.metrics.failures.inc({ permanent: String(code !== undefined && PERMANENT.has(code)) });
      if (code !== undefined && PERMANENT.has(code)) {
        this.logger.error(
          `RecordFailure refused ${request.messageId}/${request.code} for good: ${(error as Error).message}`,
        );
        throw new UnrecoverableError((error as Error).message);
      }
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
