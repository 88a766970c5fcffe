import { Inject, Injectable, Logger } from '@nestjs/common';
import { insertWebhookEvents, type WebhookOutboxEvent } from '@sms/platform-outbox';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { FailureOutboxService } from '../outbox/failure-outbox.service';
import { statusChangeEvent } from '../webhook-events/status-change-event';
import { StatusWebhookRelay } from '../webhook-events/status-webhook.relay';
import type { EventResultName } from './message-enums';
import { parseEvent, type WireEvent } from './message-event-parser';
import { fromRow, toRow } from './message-record';
import {
  applyEvent,
  type MessageState,
  type StatusEvent,
  type Transition,
} from './message-state-machine';
import { statsDeltas } from './message-stats-rollup';
import { TooManyEventsError } from './messages.errors';
import { MessagesRepository, type FailureOutboxRow } from './messages.repository';
import { StatusMetrics } from './status-metrics';

export const MAX_EVENTS_PER_BATCH = 1000;
/** Clock skew tolerated on an ACCEPTED request time. */
const FUTURE_SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface EventOutcome {
  readonly index: number;
  readonly messageId: string;
  readonly result: EventResultName;
  readonly reason: string;
  /** Status after the event; null when the message does not exist (yet). */
  readonly status: MessageState['status'] | null;
}

/** A repeated receipt for a message that is still unknown is a duplicate with no state. */
export type BatchTransition = Transition | { readonly result: 'DUPLICATE'; readonly state: null };

interface AppliedBatch {
  /** One transition per input event, in order. */
  readonly transitions: BatchTransition[];
  readonly failures: FailureOutboxRow[];
  /** message.status events written to webhook_outbox. */
  readonly webhookEvents: number;
}

/** RecordEvents and the synthetic timeout: parse, lock, apply the state machine, bulk write. */
@Injectable()
export class MessageIngestService {
  private readonly logger = new Logger(MessageIngestService.name);
  private readonly knownPartitionDays = new Set<string>();

  constructor(
    private readonly repository: MessagesRepository,
    private readonly outbox: FailureOutboxService,
    private readonly webhookRelay: StatusWebhookRelay,
    private readonly metrics: StatusMetrics,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {}

  async recordEvents(wireEvents: readonly WireEvent[]): Promise<EventOutcome[]> {
    if (wireEvents.length > MAX_EVENTS_PER_BATCH) {
      throw new TooManyEventsError(
        `events has ${wireEvents.length} entries; at most ${MAX_EVENTS_PER_BATCH} per call`,
      );
    }
    const stopTimer = this.metrics.batchSeconds.startTimer();
    const now = new Date();
    const context = {
      oldestRequestTime: new Date(now.getTime() - this.config.RETENTION_DAYS * DAY_MS),
      newestRequestTime: new Date(now.getTime() + FUTURE_SKEW_MS),
    };
    const outcomes: EventOutcome[] = [];
    const valid: { index: number; event: StatusEvent }[] = [];
    wireEvents.forEach((wire, index) => {
      const parsed = parseEvent(wire, context);
      if (parsed.ok) valid.push({ index, event: parsed.event });
      else
        outcomes[index] = {
          index,
          messageId: wire.messageId ?? '',
          result: 'REJECTED',
          reason: parsed.reason,
          status: null,
        };
    });
    const batch = await this.applyEvents(
      valid.map((v) => v.event),
      now,
    );
    valid.forEach(({ index, event }, position) => {
      outcomes[index] = toOutcome(index, event, batch.transitions[position]);
    });
    // Counted per (kind, result), one increment each: prom-client builds a label key per call.
    const counts = new Map<string, Map<EventResultName, number>>();
    for (let index = 0; index < wireEvents.length; index++) {
      const kind = kindOf(wireEvents[index]);
      const result = outcomes[index].result;
      let byResult = counts.get(kind);
      if (byResult === undefined) counts.set(kind, (byResult = new Map<EventResultName, number>()));
      byResult.set(result, (byResult.get(result) ?? 0) + 1);
    }
    for (const [kind, byResult] of counts) {
      for (const [result, count] of byResult) this.metrics.events.inc({ kind, result }, count);
    }
    stopTimer();
    return outcomes;
  }

  /**
   * Applies parsed events in order, in one transaction: every message touched is locked (key
   * rows, id order), loaded once, changed in memory by the state machine, written back with one
   * statement per kind of write, the statistics rollup included (−1 on each message's old group,
   * +1 on its new one). Real send failures go to the outbox table in the same transaction and
   * are enqueued right after the commit.
   */
  async applyEvents(events: readonly StatusEvent[], now: Date): Promise<AppliedBatch> {
    if (!events.length) return { transitions: [], failures: [], webhookEvents: 0 };
    await this.ensurePartitions(events);
    const ids = [...new Set(events.map((event) => event.messageId))];
    const batch = await this.repository.sql().transaction(async (trx) => {
      const initial = new Map<string, { requestTime: Date; accountId: string }>();
      for (const event of events) {
        if (event.kind === 'ACCEPTED' && !initial.has(event.messageId))
          initial.set(event.messageId, {
            requestTime: event.occurredAt,
            accountId: event.accepted.accountId,
          });
      }
      const keys = await this.repository.lockKeys(trx, ids, initial);
      // Only keys that existed before can point at a message or at parked receipts.
      const located = [...keys.entries()]
        .filter(([, key]) => key.existed && key.requestTime !== null)
        .map(([messageId, key]) => ({ messageId, requestTime: key.requestTime as Date }));
      const loaded = new Map(
        (await this.repository.loadMessages(trx, located)).map((row) => [row.message_id, row]),
      );
      const states = new Map<string, MessageState | null>(
        [...loaded.values()].map((row) => [row.message_id, fromRow(row)]),
      );
      const existing = new Set(states.keys());
      const unknownIds = ids.filter(
        (id) => keys.get(id)?.existed === true && keys.get(id)?.requestTime === null,
      );
      const parked = new Map<string, StatusEvent[]>();
      for (const row of await this.repository.loadParked(trx, unknownIds)) {
        const list = parked.get(row.message_id) ?? [];
        list.push(reviveEvent(row.event));
        parked.set(row.message_id, list);
      }
      const storedParkedKeys = new Set(
        [...parked.values()].flat().map((event) => `${event.messageId}\n${event.key}`),
      );

      const transitions: BatchTransition[] = [];
      const failures: FailureOutboxRow[] = [];
      const webhookEvents: WebhookOutboxEvent[] = [];
      const changed = new Set<string>();
      const newlyParked: StatusEvent[] = [];
      const unparked: { messageId: string; key: string }[] = [];
      const apply = (state: MessageState | null, event: StatusEvent): Transition => {
        const transition = applyEvent(state, event, now);
        if (transition.result === 'APPLIED' || transition.result === 'IGNORED') {
          states.set(event.messageId, transition.state);
          changed.add(event.messageId);
          if (transition.reportsFailure && event.kind === 'SEND_FAILED') {
            failures.push(failureRow(transition.state, event));
          }
          const webhookEvent = statusChangeEvent(state, transition.state, event);
          if (webhookEvent) webhookEvents.push(webhookEvent);
        }
        return transition;
      };

      for (const event of events) {
        const state = states.get(event.messageId) ?? null;
        if (state === null && event.kind !== 'ACCEPTED') {
          const waiting = parked.get(event.messageId) ?? [];
          if (waiting.some((p) => p.key === event.key)) {
            transitions.push({ result: 'DUPLICATE', state: null });
            continue;
          }
          waiting.push(event);
          parked.set(event.messageId, waiting);
          newlyParked.push(event);
          transitions.push({ result: 'PARKED' });
          continue;
        }
        const transition = apply(state, event);
        transitions.push(transition);
        if (state === null && transition.result === 'APPLIED') {
          // ACCEPTED created the message: the receipts waiting for it apply now, oldest first.
          const waiting = (parked.get(event.messageId) ?? []).sort(
            (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
          );
          parked.delete(event.messageId);
          for (const receipt of waiting) {
            apply(states.get(event.messageId) ?? null, receipt);
            if (storedParkedKeys.has(`${receipt.messageId}\n${receipt.key}`))
              unparked.push({ messageId: receipt.messageId, key: receipt.key });
          }
        }
      }

      const stillParked = newlyParked.filter((event) =>
        (parked.get(event.messageId) ?? []).includes(event),
      );
      const rowsToWrite = [...changed].map((id) => toRow(states.get(id) as MessageState));
      const created = rowsToWrite.filter((row) => !existing.has(row.message_id));
      await this.repository.insertMessages(trx, created);
      await this.repository.locateKeys(
        trx,
        created.filter((row) => keys.get(row.message_id)?.requestTime === null),
      );
      await this.repository.updateMessages(
        trx,
        rowsToWrite.filter((row) => existing.has(row.message_id)),
      );
      await this.repository.parkEvents(trx, stillParked, now);
      await this.repository.deleteParked(trx, unparked);
      await this.repository.insertOutbox(trx, failures);
      await insertWebhookEvents(trx, webhookEvents);
      // Last: the rollup rows are shared by concurrent batches, so they stay locked briefly.
      await this.repository.applyStatsDeltas(trx, statsDeltas(loaded, rowsToWrite));
      return { transitions, failures, webhookEvents: webhookEvents.length };
    });
    // After the commit: the events are durable in webhook_outbox; the relay's timer covers a crash.
    if (batch.webhookEvents) this.webhookRelay.kick();
    if (batch.failures.length) {
      // After the commit: the failure is durable in failure_outbox; the relay covers a crash here.
      await this.outbox.enqueue(batch.failures).catch((error: unknown) => {
        this.logger.warn(
          `outbox enqueue failed, the relay will retry: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    return batch;
  }

  private async ensurePartitions(events: readonly StatusEvent[]): Promise<void> {
    const days = [
      ...new Set(
        events
          .filter((event) => event.kind === 'ACCEPTED')
          .map((event) => event.occurredAt.toISOString().slice(0, 10)),
      ),
    ].filter((day) => !this.knownPartitionDays.has(day));
    if (!days.length) return;
    await this.repository.ensurePartitions(days);
    for (const day of days) this.knownPartitionDays.add(day);
  }

  /** Forget cached partition days, e.g. after the retention job dropped some. */
  forgetPartitions(days: readonly string[]): void {
    for (const day of days) this.knownPartitionDays.delete(day);
  }
}

function toOutcome(index: number, event: StatusEvent, transition: BatchTransition): EventOutcome {
  const base = { index, messageId: event.messageId };
  switch (transition.result) {
    case 'PARKED':
      return { ...base, result: 'PARKED', reason: '', status: null };
    case 'DUPLICATE':
      return {
        ...base,
        result: 'DUPLICATE',
        reason: '',
        status: transition.state?.status ?? null,
      };
    case 'NOT_APPLICABLE':
      return {
        ...base,
        result: 'IGNORED',
        reason: 'not applicable',
        status: transition.state.status,
      };
    case 'APPLIED':
    case 'IGNORED':
      return {
        ...base,
        result: transition.result,
        reason: transition.reason,
        status: transition.state.status,
      };
  }
}

function failureRow(
  state: MessageState,
  event: Extract<StatusEvent, { kind: 'SEND_FAILED' }>,
): FailureOutboxRow {
  return {
    messageId: state.messageId,
    code: event.code,
    request: {
      accountId: state.accountId,
      phone: state.recipient,
      messageId: state.messageId,
      code: event.code,
      detail: event.detail,
      occurredAt: event.occurredAt.toISOString(),
    },
  };
}

/** Parked events come back from jsonb with their dates as strings. */
function reviveEvent(stored: StatusEvent): StatusEvent {
  return { ...stored, occurredAt: new Date(stored.occurredAt) };
}

const WIRE_KINDS = ['accepted', 'processFailed', 'submitted', 'delivered', 'sendFailed'] as const;

function kindOf(wire: WireEvent): string {
  return wire.event ?? WIRE_KINDS.find((member) => wire[member]) ?? 'none';
}
