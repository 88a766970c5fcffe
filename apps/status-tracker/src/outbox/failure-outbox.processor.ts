import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { GRPC_SERVICES, toTimestamp, type interceptionV1 } from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { cappedExponentialStrategy, isPermanentRefusal } from '@sms/platform-outbox';
import { runInJobSpan } from '@sms/platform-tracing';
import { UnrecoverableError, type Job } from 'bullmq';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { sendFailureCodeEnum } from '../messages/message-enums';
import { FailureOutboxRepository } from './failure-outbox.repository';
import { OutboxMetrics } from './outbox-metrics';
import { FAILURE_OUTBOX_QUEUE, type RecordFailureJobData } from './failure-outbox.service';

/** Doubling delays that stop growing at the job's maxBackoffMs. */
export const cappedExponentialBackoff = cappedExponentialStrategy(
  (data) => (data as Partial<RecordFailureJobData>).maxBackoffMs,
);

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
    private readonly outbox: FailureOutboxRepository,
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

  process(job: Job<RecordFailureJobData>): Promise<string> {
    return runInJobSpan('failure-outbox RecordFailure', job.data.trace, () => this.deliver(job));
  }

  private async deliver(job: Job<RecordFailureJobData>): Promise<string> {
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
      // Confirmed: the row may go. If this fails the job retries; RecordFailure is idempotent.
      await this.outbox.confirm(request.messageId, request.code);
      return String(response.outcome);
    } catch (error) {
      const code = (error as { code?: number }).code;
      const permanent = isPermanentRefusal(code);
      this.metrics.failures.inc({ permanent: String(permanent) });
      if (permanent) {
        const message = (error as Error).message;
        await this.outbox.deadLetter(request.messageId, request.code, message);
        this.metrics.deadLetters.inc();
        this.logger.error(
          `RecordFailure refused ${request.messageId}/${request.code} for good (dead letter): ${message}`,
        );
        throw new UnrecoverableError(message);
      }
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
