import { Inject, Injectable } from '@nestjs/common';
import { addDays, dayStart, isExpiredPartition, retentionCutoff } from '@sms/platform-database';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { MessageIngestService } from '../messages/message-ingest.service';
import type { StatusEvent } from '../messages/message-state-machine';
import { MessagesRepository } from '../messages/messages.repository';
import { StatusMetrics } from '../messages/status-metrics';
import { FailureOutboxService } from '../outbox/failure-outbox.service';

const HOUR_MS = 3_600_000;
const TIMEOUT_BATCH = 500;
/** Bounds one sweep run; the next run continues. */
const MAX_TIMEOUT_BATCHES = 40;

/** The repeatable jobs' work: partitions, retention, the wait-result timeout, parked expiry. */
@Injectable()
export class MaintenanceService {
  constructor(
    private readonly repository: MessagesRepository,
    private readonly ingest: MessageIngestService,
    private readonly outbox: FailureOutboxService,
    private readonly metrics: StatusMetrics,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {}

  /**
   * Creates the partitions of yesterday, today and PARTITIONS_AHEAD_DAYS ahead; drops every
   * partition whose whole day lies before the retention window (DROP TABLE, no mass DELETE).
   */
  async maintainPartitions(now: Date): Promise<{ created: string[]; dropped: string[] }> {
    const days: string[] = [];
    for (let offset = -1; offset <= this.config.PARTITIONS_AHEAD_DAYS; offset++) {
      days.push(addDays(dayStart(now), offset).toISOString().slice(0, 10));
    }
    const created = await this.repository.ensurePartitions(days);
    const cutoff = retentionCutoff(now, this.config.RETENTION_DAYS);
    const dropped: string[] = [];
    for (const day of await this.repository.listPartitionDays()) {
      if (isExpiredPartition(new Date(`${day}T00:00:00Z`), now, this.config.RETENTION_DAYS)) {
        await this.repository.dropPartition(day);
        dropped.push(day);
      }
    }
    this.ingest.forgetPartitions(dropped);
    await this.repository.deleteKeysBefore(cutoff);
    return { created, dropped };
  }

  /** WAIT_RESULT for longer than the timeout → SEND_FAILED/590 through the state machine. */
  async applyReceiptTimeouts(now: Date): Promise<number> {
    const sentBefore = new Date(now.getTime() - this.config.WAIT_RESULT_TIMEOUT_HOURS * HOUR_MS);
    const notBefore = retentionCutoff(now, this.config.RETENTION_DAYS);
    let applied = 0;
    for (let round = 0; round < MAX_TIMEOUT_BATCHES; round++) {
      const ids = await this.repository.findTimedOut(sentBefore, notBefore, TIMEOUT_BATCH);
      if (!ids.length) break;
      const events: StatusEvent[] = ids.map((messageId) => ({
        kind: 'RECEIPT_TIMEOUT',
        messageId,
        key: 'RECEIPT_TIMEOUT',
        occurredAt: now,
      }));
      const batch = await this.ingest.applyEvents(events, now);
      const count = batch.transitions.filter((t) => t.result === 'APPLIED').length;
      applied += count;
      if (ids.length < TIMEOUT_BATCH) break;
    }
    this.metrics.timeoutsApplied.inc(applied);
    return applied;
  }

  /** Receipts parked longer than PARKED_TTL_HOURS are dropped and counted. */
  async expireParked(now: Date): Promise<number> {
    const dropped = await this.repository.expireParked(
      new Date(now.getTime() - this.config.PARKED_TTL_HOURS * HOUR_MS),
    );
    this.metrics.parkedExpired.inc(dropped);
    return dropped;
  }

  relayOutbox(now: Date): Promise<number> {
    return this.outbox.relay(now);
  }
}
