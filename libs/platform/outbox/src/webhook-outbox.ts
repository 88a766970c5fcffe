// The webhook outbox of a source service (reply-service, interception-service): events written in
// the transaction of the change they describe, handed to WebhookService.PublishEvents by a relay
// and deleted only in the transaction that got the dispatcher's answer; events it refused for
// good move to webhook_dead_letter (docs/webhook-delivery.md). Tables: see the services'
// migrations (webhook_outbox, webhook_dead_letter), the same shape as status-tracker's.
import type { Sql } from '@sms/platform-database';
import { toTimestamp, type commonV1, type webhookV1 } from '@sms/contracts';
import { Counter, Gauge, type Registry } from '@sms/platform-metrics';
import { cappedExponentialDelay } from './outbox-rules';

/** One event as the outbox stores it and the dispatcher receives it. */
export interface WebhookOutboxEvent {
  /** Stable: the same change always has the same id (the dispatcher is idempotent on it). */
  readonly eventId: string;
  readonly type: string;
  readonly accountId: string;
  readonly occurredAt: Date;
  /** The REST resource the event is about, as the gateway returns it. */
  readonly data: Record<string, unknown>;
}

export interface ClaimedWebhookEvent extends WebhookOutboxEvent {
  readonly id: number;
}

/** An event the dispatcher refused for good (bad id, type or JSON). */
export interface WebhookDeadLetter {
  readonly eventId: string;
  readonly type: string;
  readonly accountId: string;
  readonly error: string;
  readonly createdAt: Date;
  readonly failedAt: Date;
}

/** Keyset position of the dead-letter list (failed_at desc, event_id desc). */
export interface WebhookDeadLetterPosition {
  readonly at: number;
  readonly eventId: string;
}

/** Writes events in the caller's transaction: one statement whatever their number. */
export async function insertWebhookEvents(
  trx: Sql,
  events: readonly WebhookOutboxEvent[],
): Promise<void> {
  if (!events.length) return;
  await trx.raw(
    `insert into webhook_outbox (event_id, type, account_id, occurred_at, data)
       select r.event_id, r.type, r.account_id, r.occurred_at, r.data
         from jsonb_to_recordset(?::jsonb)
           as r(event_id text, type text, account_id text, occurred_at timestamptz, data jsonb)`,
    [
      JSON.stringify(
        events.map((event) => ({
          event_id: event.eventId,
          type: event.type,
          account_id: event.accountId,
          occurred_at: event.occurredAt.toISOString(),
          data: event.data,
        })),
      ),
    ],
  );
}

/** The relay's and the operators' side of webhook_outbox and webhook_dead_letter. */
export class WebhookOutboxTable {
  /** `sql` gives a fresh fork per call (never a global context). */
  constructor(private readonly sql: () => Sql) {}

  fresh(): Sql {
    return this.sql();
  }

  /** Oldest first, locked until `trx` ends (another replica's relay skips them). */
  async claim(trx: Sql, limit: number): Promise<ClaimedWebhookEvent[]> {
    const rows = await trx.rows<{
      id: string;
      event_id: string;
      type: string;
      account_id: string;
      occurred_at: Date | string;
      data: Record<string, unknown>;
    }>(
      `select id, event_id, type, account_id, occurred_at, data from webhook_outbox
        order by id limit ? for update skip locked`,
      [limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      type: row.type,
      accountId: row.account_id,
      occurredAt: new Date(row.occurred_at),
      data: row.data,
    }));
  }

  /** The dispatcher answered for these rows: they leave; the refused ones go to the dead letters. */
  async settle(
    trx: Sql,
    ids: readonly number[],
    refused: readonly { eventId: string; reason: string }[],
  ): Promise<void> {
    if (refused.length) {
      await trx.raw(
        `insert into webhook_dead_letter (event_id, event, error, created_at)
           select o.event_id, to_jsonb(o) - 'id', r.reason, o.created_at
             from webhook_outbox o
             join jsonb_to_recordset(?::jsonb) as r(event_id text, reason text)
               on r.event_id = o.event_id
            where o.id = any(?::bigint[])
         on conflict (event_id) do update set error = excluded.error, failed_at = now()`,
        [
          JSON.stringify(
            refused.map((r) => ({ event_id: r.eventId, reason: r.reason.slice(0, 2000) })),
          ),
          [...ids],
        ],
      );
    }
    await trx.raw(`delete from webhook_outbox where id = any(?::bigint[])`, [[...ids]]);
  }

  async depth(): Promise<{ waiting: number; deadLetters: number }> {
    const [row] = await this.sql().rows<{ waiting: string; dead: string }>(
      `select (select count(*) from webhook_outbox) as waiting,
              (select count(*) from webhook_dead_letter) as dead`,
    );
    return { waiting: Number(row?.waiting ?? 0), deadLetters: Number(row?.dead ?? 0) };
  }

  /** Newest failures first, strictly after `after`. */
  async deadLetters(
    limit: number,
    after?: WebhookDeadLetterPosition,
  ): Promise<WebhookDeadLetter[]> {
    const rows = await this.sql().rows<{
      event_id: string;
      event: { type?: unknown; account_id?: unknown };
      error: string;
      created_at: Date | string;
      failed_at: Date | string;
    }>(
      `select event_id, event, error, created_at, failed_at from webhook_dead_letter
        where (?::timestamptz is null or (failed_at, event_id) < (?::timestamptz, ?))
        order by failed_at desc, event_id desc limit ?`,
      [
        after ? new Date(after.at) : null,
        after ? new Date(after.at) : null,
        after?.eventId ?? '',
        limit,
      ],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      type: typeof row.event.type === 'string' ? row.event.type : '',
      accountId: typeof row.event.account_id === 'string' ? row.event.account_id : '',
      error: row.error,
      createdAt: new Date(row.created_at),
      failedAt: new Date(row.failed_at),
    }));
  }
}

/** The one call the relay makes (a GrpcClient<webhookV1.WebhookServiceClient> fits). */
export interface WebhookPublisher {
  publishEvents(request: webhookV1.PublishEventsRequest): Promise<webhookV1.PublishEventsResponse>;
}

export interface WebhookRelayOptions {
  readonly table: WebhookOutboxTable;
  readonly publisher: WebhookPublisher;
  /** Events per PublishEvents call (the dispatcher takes at most 1,000). */
  readonly batch: number;
  /** The timer round (what a crash or an outage left); also the back-off's scale. */
  readonly intervalMs: number;
  readonly log: {
    log(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  };
  /**
   * Rounds at once while a backlog (a full batch) is worked off, each on rows the others skip
   * (default 3): a round spends most of its time waiting for the dispatcher, not working.
   */
  readonly parallelRounds?: number;
  /** Counts per round: confirmed events and events refused for good. */
  readonly onRound?: (confirmed: number, deadLettered: number) => void;
  readonly onFailure?: () => void;
}

/**
 * Hands webhook_outbox rows to PublishEvents, oldest first, a batch per call: on kick (after a
 * commit that wrote events) and on a timer. Rows are deleted in the transaction that locked them
 * once the dispatcher answered, so an event leaves only when it is stored there; a failed call
 * leaves them for a later round with a capped back-off. One round at a time per process while
 * the outbox keeps up; a backlog is worked off by `parallelRounds` at once, as replicas do.
 */
export class WebhookOutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private failedRounds = 0;
  private retryAt = 0;
  private stopped = false;

  constructor(private readonly options: WebhookRelayOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a round now, or right after the one running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (Date.now() < this.retryAt) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Rounds until the outbox is empty or a call fails. */
  private async drain(): Promise<void> {
    const { batch, intervalMs, log, parallelRounds = 3 } = this.options;
    try {
      if ((await this.round()) === batch) {
        const loops = await Promise.allSettled(
          Array.from({ length: parallelRounds }, async () => {
            while (!this.stopped && (await this.round()) === batch);
          }),
        );
        const failed = loops.find((loop) => loop.status === 'rejected');
        if (failed) throw failed.reason;
      }
      if (this.failedRounds) log.log('webhook-dispatcher reachable again; outbox draining');
      this.failedRounds = 0;
      this.retryAt = 0;
    } catch (error) {
      this.options.onFailure?.();
      this.failedRounds += 1;
      this.retryAt = Date.now() + cappedExponentialDelay(this.failedRounds, 500, intervalMs * 10);
      if (this.failedRounds === 1) {
        log.warn(
          `PublishEvents failed, events stay in webhook_outbox and are retried: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async round(): Promise<number> {
    const { table, publisher, batch, log } = this.options;
    return table.fresh().transaction(async (trx) => {
      const events = await table.claim(trx, batch);
      if (!events.length) return 0;
      const response = await publisher.publishEvents({
        events: events.map((event) => ({
          eventId: event.eventId,
          type: event.type,
          accountId: event.accountId,
          occurredAt: toTimestamp(event.occurredAt),
          dataJson: JSON.stringify(event.data),
        })),
      });
      const rejected = response.rejected ?? [];
      await table.settle(
        trx,
        events.map((event) => event.id),
        rejected,
      );
      if (rejected.length) {
        log.error(
          `webhook-dispatcher refused ${rejected.length} event(s) for good (webhook_dead_letter): ${rejected[0]?.reason}`,
        );
      }
      this.options.onRound?.(events.length - rejected.length, rejected.length);
      return events.length;
    });
  }
}

/**
 * The relay's metrics under `<prefix>_webhook_…` (events handed over, failed calls, outbox depth),
 * as status-tracker's `status_webhook_…`; returns the relay's callbacks.
 */
export function webhookRelayMetrics(
  registry: Registry,
  prefix: string,
  table: WebhookOutboxTable,
): Pick<WebhookRelayOptions, 'onRound' | 'onFailure'> {
  const published = new Counter({
    name: `${prefix}_webhook_events_total`,
    help: 'Webhook events handed to the webhook-dispatcher (result=confirmed|dead_letter)',
    labelNames: ['result'],
    registers: [registry],
  });
  const failures = new Counter({
    name: `${prefix}_webhook_relay_failures_total`,
    help: 'PublishEvents calls that failed; their events stay in webhook_outbox and are retried',
    registers: [registry],
  });
  new Gauge({
    name: `${prefix}_webhook_outbox_depth`,
    help: 'Webhook events not yet confirmed (table=waiting in webhook_outbox, dead_letter=refused for good)',
    labelNames: ['table'],
    registers: [registry],
    collect: async function (this: Gauge<'table'>) {
      const depth = await table.depth();
      this.set({ table: 'waiting' }, depth.waiting);
      this.set({ table: 'dead_letter' }, depth.deadLetters);
    },
  });
  return {
    onRound: (confirmed, deadLettered) => {
      if (confirmed) published.inc({ result: 'confirmed' }, confirmed);
      if (deadLettered) published.inc({ result: 'dead_letter' }, deadLettered);
    },
    onFailure: () => failures.inc(),
  };
}

/** The signed keyset tokens of a list (PageTokenCodec of @sms/domain-page-token fits). */
export interface DeadLetterPageTokens {
  encode(position: unknown, boundTo: unknown): string;
  decode<T>(
    token: string,
    boundTo: unknown,
    isPosition: (value: unknown) => value is T,
  ): T | undefined;
}

const isDeadLetterPosition = (value: unknown): value is WebhookDeadLetterPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as WebhookDeadLetterPosition).at) &&
  typeof (value as WebhookDeadLetterPosition).eventId === 'string';

/**
 * One page of the operators' list of webhook dead letters: newest first, 1..500 a page (50 when
 * 0). `invalid` builds the service's INVALID_ARGUMENT error for a bad page size.
 */
export async function webhookDeadLetterPage(
  table: WebhookOutboxTable,
  tokens: DeadLetterPageTokens,
  request: { readonly pageSize: number; readonly pageToken: string },
  invalid: (message: string) => Error,
): Promise<{ deadLetters: WebhookDeadLetter[]; nextPageToken: string }> {
  const size = request.pageSize === 0 ? 50 : request.pageSize;
  if (!Number.isInteger(size) || size < 1 || size > 500) {
    throw invalid('page_size must be between 1 and 500');
  }
  const scope = { list: 'webhook-dead-letters' };
  const after = tokens.decode(request.pageToken, scope, isDeadLetterPosition);
  const rows = await table.deadLetters(size + 1, after);
  const page = rows.slice(0, size);
  const last = page[page.length - 1];
  return {
    deadLetters: page,
    nextPageToken:
      rows.length > size && last
        ? tokens.encode({ at: last.failedAt.getTime(), eventId: last.eventId }, scope)
        : '',
  };
}

/** A webhook dead letter in the operators' list (GET /v1/admin/dead-letters). */
export function toProtoDeadLetter(letter: WebhookDeadLetter): commonV1.DeadLetter {
  return {
    kind: 'webhook_event',
    key: letter.eventId,
    accountId: letter.accountId,
    phone: '',
    error: letter.error,
    createdAt: toTimestamp(letter.createdAt),
    failedAt: toTimestamp(letter.failedAt),
    eventType: letter.type,
  };
}
