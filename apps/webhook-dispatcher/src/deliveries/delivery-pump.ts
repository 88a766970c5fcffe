import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import {
  keepAliveAgents,
  sendWebhook,
  type AttemptResult,
  type SendAgents,
  type SendSettings,
} from '../outbound/webhook-sender';
import { SecretBox } from '../signing/secret-box';
import { webhookHeaders } from '../signing/standard-webhooks';
import {
  DeliveriesRepository,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from './deliveries.repository';
import { EndpointSlots } from './endpoint-slots';
import { retryDelay } from './retry-schedule';
import { WebhookMetrics } from './webhook-metrics';

/**
 * The JSON body of an event: Standard Webhooks' `type`, `timestamp` and `data`. `data` is
 * spliced in as the stored JSON text (valid JSON from PostgreSQL), not parsed and re-serialised.
 */
export function webhookBody(event: { type: string; occurredAt: Date; dataJson: string }): string {
  return `{"type":${JSON.stringify(event.type)},"timestamp":"${event.occurredAt.toISOString()}","data":${event.dataJson}}`;
}

interface Finished {
  readonly delivery: ClaimedDelivery;
  /** None when the attempt broke down before a result (the lease brings it back). */
  readonly outcome?: DeliveryOutcome;
  /** The attempt's result; none when no request went out. */
  readonly result?: AttemptResult;
  readonly lease?: string;
}

/**
 * Takes due deliveries from PostgreSQL in batches (one statement claims many, with their event
 * and endpoint), sends them concurrently over keep-alive connections and writes their outcomes
 * in batches (one statement for all that finished meanwhile). At most WEBHOOK_WORKER_CONCURRENCY
 * deliveries per replica are in hand and WEBHOOK_ENDPOINT_CONCURRENCY attempts per endpoint in
 * flight over all replicas. Deliveries claimed beyond an endpoint's free slots wait here for the
 * slot of one of its attempts in flight (handed over, no Redis call; more are claimed for it
 * when half a round is left, none while a full round waits); with none in flight here
 * (another replica holds the slots) or after waiting a third of the lease they are put back a
 * moment, without counting an attempt. New deliveries wake the pump at once (kick); it also
 * looks every WEBHOOK_POLL_INTERVAL_MS for what came due (retries, other replicas' intake,
 * leases of a replica that died).
 */
@Injectable()
export class DeliveryPump implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryPump.name);
  private readonly send: SendSettings;
  private readonly agents: SendAgents;
  /** Claimed rows stay ours this long without an outcome; longer than any attempt. */
  private readonly leaseMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightTo = new Map<string, number>();
  /** Slots of ours per endpoint whose release is not written to Redis yet. */
  private readonly releasing = new Map<string, number>();
  /** Claimed deliveries waiting for a slot of their endpoint, oldest first. */
  private readonly waiting = new Map<string, { delivery: ClaimedDelivery; since: number }[]>();
  private waitingCount = 0;
  /** Slot leases handed from one attempt to the next: their age is reset in Redis. */
  private handedOver = new Map<string, string[]>();
  private finished: Finished[] = [];
  private flushing?: Promise<void>;
  private loop?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  private woken = false;
  /** The last claim took all it asked for: more may be due as soon as there is room. */
  private moreDue = false;
  /** Decrypted secrets by endpoint id and ciphertext (a rotated secret is a new entry). */
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly secretBox: SecretBox,
    private readonly slots: EndpointSlots,
    private readonly metrics: WebhookMetrics,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {
    this.agents = keepAliveAgents(config.WEBHOOK_WORKER_CONCURRENCY);
    this.send = {
      allowHttp: config.WEBHOOK_ALLOW_HTTP,
      allowed: config.WEBHOOK_ALLOWED_CIDRS.list,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: config.WEBHOOK_MAX_RESPONSE_BYTES,
      agents: this.agents,
    };
    this.leaseMs = Math.max(10_000, config.WEBHOOK_TIMEOUT_MS * 3);
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  /** Stops claiming, lets the attempts in flight end and writes their outcomes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.loop;
    while (this.inFlight.size) await Promise.all(this.inFlight);
    // Those still waiting go back at once rather than after their lease.
    for (const list of this.waiting.values()) {
      for (const { delivery } of list.splice(0)) this.putBack(delivery, 0);
    }
    this.waitingCount = 0;
    await this.flush();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** New work may be due now (new deliveries, a redeliver). */
  kick(): void {
    this.woken = true;
    if (this.room > 0 || this.stopped) this.wake?.();
  }

  private get room(): number {
    return this.config.WEBHOOK_WORKER_CONCURRENCY - this.inFlight.size - this.waitingCount;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.expireWaiting();
      const room = this.room;
      let claimed = 0;
      if (room > 0) {
        this.woken = false;
        try {
          const limit = Math.min(room, this.config.WEBHOOK_CLAIM_BATCH);
          const batch = await this.deliveries.claim(limit, this.leaseMs, this.saturated());
          claimed = batch.length;
          this.moreDue = claimed === limit;
          await this.start(batch);
        } catch (error) {
          this.moreDue = false;
          this.logger.error(
            `claiming deliveries failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      if (this.moreDue && this.room > 0) continue;
      await this.sleep();
    }
  }

  /**
   * Until kicked with room to take the work, room freed while more is due, or the poll interval
   * passed. Never returns at once without room: the loop would spin without yielding to I/O.
   */
  private sleep(): Promise<void> {
    if (this.stopped || (this.woken && this.room > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.config.WEBHOOK_POLL_INTERVAL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }

  /** Takes endpoint slots for the batch and starts its attempts. */
  private async start(batch: readonly ClaimedDelivery[]): Promise<void> {
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    for (const delivery of batch) {
      if (!delivery.endpoint.active) {
        this.done({
          delivery,
          outcome: {
            deliveryId: delivery.deliveryId,
            round: delivery.round,
            status: 'FAILED',
            attemptCounted: false,
            lastError: `endpoint disabled: ${delivery.endpoint.disabledReason || 'deleted'}`,
            nextAttemptAt: null,
          },
        });
        continue;
      }
      const list = byEndpoint.get(delivery.endpoint.endpointId) ?? [];
      list.push(delivery);
      byEndpoint.set(delivery.endpoint.endpointId, list);
    }
    await Promise.all(
      [...byEndpoint].map(async ([endpointId, list]) => {
        const leases = await this.slots.acquire(endpointId, list.length);
        const now = Date.now();
        list.forEach((delivery, n) => {
          const lease = leases[n];
          if (lease) this.attempt(delivery, lease);
          else if (this.inFlightTo.get(endpointId) || this.releasing.get(endpointId)) {
            // A slot of ours frees soon: handed over, or taken again once released.
            const queue = this.waiting.get(endpointId) ?? [];
            queue.push({ delivery, since: now });
            this.waiting.set(endpointId, queue);
            this.waitingCount += 1;
          } else this.putBack(delivery, 50 + Math.floor(Math.random() * 200));
        });
      }),
    );
  }

  /** Back to the table without an attempt counted, due in `delayMs`. */
  private putBack(delivery: ClaimedDelivery, delayMs: number): void {
    this.done({
      delivery,
      outcome: {
        deliveryId: delivery.deliveryId,
        round: delivery.round,
        status: 'PENDING',
        attemptCounted: false,
        nextAttemptAt: new Date(Date.now() + delayMs),
      },
    });
  }

  /** Deliveries waiting for a slot longer than a third of their lease go back to the table. */
  private expireWaiting(): void {
    const cutoff = Date.now() - this.leaseMs / 3;
    for (const [endpointId, queue] of this.waiting) {
      while (queue[0] && queue[0].since < cutoff) {
        this.putBack(queue.shift()!.delivery, 0);
        this.waitingCount -= 1;
      }
      if (!queue.length) this.waiting.delete(endpointId);
    }
  }

  private attempt(delivery: ClaimedDelivery, lease: string): void {
    const endpointId = delivery.endpoint.endpointId;
    this.inFlightTo.set(endpointId, (this.inFlightTo.get(endpointId) ?? 0) + 1);
    const running: Promise<void> = this.attemptAndHandOver(delivery, lease).finally(() =>
      this.inFlight.delete(running),
    );
    this.inFlight.add(running);
  }

  private async attemptAndHandOver(delivery: ClaimedDelivery, lease: string): Promise<void> {
    const endpointId = delivery.endpoint.endpointId;
    let result: AttemptResult | undefined;
    try {
      result = await this.sendOne(delivery);
    } catch (error) {
      // Nothing written: the lease runs out and the delivery is taken again.
      this.logger.error(
        `delivery ${delivery.deliveryId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const left = (this.inFlightTo.get(endpointId) ?? 1) - 1;
    if (left) this.inFlightTo.set(endpointId, left);
    else this.inFlightTo.delete(endpointId);
    const next = this.nextWaiting(endpointId);
    if (next) {
      const handed = this.handedOver.get(endpointId) ?? [];
      handed.push(lease);
      this.handedOver.set(endpointId, handed);
    }
    if (!next) this.releasing.set(endpointId, (this.releasing.get(endpointId) ?? 0) + 1);
    this.done({
      delivery,
      outcome: result ? this.outcomeOf(delivery, result) : undefined,
      result,
      lease: next ? undefined : lease,
    });
    if (next) this.attempt(next, lease);
    else if (this.moreDue || this.woken) this.wake?.();
  }

  /** Slots for the deliveries waiting on an endpoint with none of its attempts in flight here. */
  private async takeFreedSlots(endpointId: string): Promise<void> {
    const queue = this.waiting.get(endpointId);
    if (!queue?.length || this.inFlightTo.get(endpointId)) return;
    const leases = await this.slots.acquire(endpointId, queue.length).catch(() => []);
    const unused: string[] = [];
    for (const lease of leases) {
      const next = this.nextWaiting(endpointId);
      if (next) this.attempt(next, lease);
      else unused.push(lease);
    }
    if (unused.length)
      await this.slots.release(new Map([[endpointId, unused]])).catch(() => undefined);
    // Still none (another replica took them): back to the table, a moment later.
    const rest = this.waiting.get(endpointId);
    if (rest?.length && !this.inFlightTo.get(endpointId) && !this.releasing.get(endpointId)) {
      for (const { delivery } of rest.splice(0)) {
        this.putBack(delivery, 50 + Math.floor(Math.random() * 200));
        this.waitingCount -= 1;
      }
      this.waiting.delete(endpointId);
    }
  }

  private nextWaiting(endpointId: string): ClaimedDelivery | undefined {
    const queue = this.waiting.get(endpointId);
    const next = queue?.shift();
    if (!next || !queue) return undefined;
    this.waitingCount -= 1;
    if (!queue.length) this.waiting.delete(endpointId);
    // Half a round of handovers left: claim more for it now, so its slots never stand idle.
    if (queue.length === Math.floor(this.config.WEBHOOK_ENDPOINT_CONCURRENCY / 2)) this.kick();
    return next.delivery;
  }

  /** Endpoints with a full round of handovers waiting here: the next claim leaves them out. */
  private saturated(): string[] {
    return [...this.waiting]
      .filter(([, queue]) => queue.length >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY)
      .map(([endpointId]) => endpointId);
  }

  private async sendOne(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const { endpoint, event } = delivery;
    const body = webhookBody(event);
    const headers = webhookHeaders(
      this.secretOf(endpoint),
      event.eventId,
      Math.floor(Date.now() / 1000),
      body,
    );
    return sendWebhook({ url: endpoint.url, headers, body }, this.send);
  }

  private secretOf(endpoint: ClaimedDelivery['endpoint']): string {
    const key = `${endpoint.endpointId}\n${endpoint.secretCiphertext}`;
    let secret = this.secrets.get(key);
    if (secret === undefined) {
      secret = this.secretBox.open(endpoint.secretCiphertext, endpoint.endpointId);
      if (this.secrets.size >= 10_000) this.secrets.clear();
      this.secrets.set(key, secret);
    }
    return secret;
  }

  private outcomeOf(delivery: ClaimedDelivery, result: AttemptResult): DeliveryOutcome {
    const attempts = delivery.attempts + 1;
    const base = { deliveryId: delivery.deliveryId, round: delivery.round, attemptCounted: true };
    if (result.outcome === 'delivered') {
      return {
        ...base,
        status: 'DELIVERED',
        lastHttpCode: result.httpCode,
        lastError: '',
        nextAttemptAt: null,
      };
    }
    const delay = result.retry
      ? retryDelay(
          attempts,
          this.config.WEBHOOK_RETRY_DELAYS_MS,
          this.config.WEBHOOK_RETRY_JITTER,
          Math.random(),
        )
      : null;
    return {
      ...base,
      status: delay === null ? 'FAILED' : 'PENDING',
      lastHttpCode: result.httpCode,
      lastError: result.error,
      nextAttemptAt: delay === null ? null : new Date(Date.now() + delay),
    };
  }

  /** Queues an outcome for the next batched write; starts that write unless one is running. */
  private done(finished: Finished): void {
    this.finished.push(finished);
    if (!this.flushing) {
      this.flushing = this.flushAll().finally(() => (this.flushing = undefined));
    }
  }

  private async flush(): Promise<void> {
    await this.flushing;
    await this.flushAll();
  }

  /** Writes what finished, batch after batch, until nothing is left (group commit). */
  private async flushAll(): Promise<void> {
    while (this.finished.length) {
      const batch = this.finished;
      this.finished = [];
      try {
        await this.write(batch);
      } catch (error) {
        // Unwritten outcomes: those deliveries come due again when their lease runs out.
        this.logger.error(
          `writing ${batch.length} delivery outcome(s) failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async write(batch: readonly Finished[]): Promise<void> {
    const leases = new Map<string, string[]>();
    for (const { delivery, lease } of batch) {
      if (!lease) continue;
      const list = leases.get(delivery.endpoint.endpointId) ?? [];
      list.push(lease);
      leases.set(delivery.endpoint.endpointId, list);
    }
    const handedOver = this.handedOver;
    this.handedOver = new Map();
    const released = this.slots.release(leases, handedOver).catch((error: unknown) => {
      // Released leases expire by themselves; a handed-over one may expire early (a rare
      // extra attempt in flight at the endpoint).
      this.logger.warn(`releasing endpoint slots failed: ${String(error)}`);
    });
    const settled = this.deliveries.settle(
      batch.flatMap((finished) => (finished.outcome ? [finished.outcome] : [])),
    );
    await released;
    for (const [endpointId, tokens] of leases) {
      const left = (this.releasing.get(endpointId) ?? 0) - tokens.length;
      if (left > 0) this.releasing.set(endpointId, left);
      else this.releasing.delete(endpointId);
    }
    // Deliveries that waited for these slots take them now.
    await Promise.all([...leases.keys()].map((endpointId) => this.takeFreedSlots(endpointId)));
    await settled;
    await this.endpointHealth(batch);
    for (const { delivery, outcome, result } of batch) {
      if (result) {
        this.metrics.attempts.inc({
          outcome: result.outcome === 'delivered' ? 'delivered' : attemptOutcome(result),
        });
      }
      if (outcome?.status === 'DELIVERED') {
        this.metrics.deliveries.inc({ status: 'delivered' });
        this.metrics.lag.observe((Date.now() - delivery.event.occurredAt.getTime()) / 1000);
      } else if (outcome?.status === 'FAILED') {
        this.metrics.deliveries.inc({ status: 'failed' });
      }
    }
  }

  /** A success clears an endpoint's failure streak; a failure starts it or disables it. */
  private async endpointHealth(batch: readonly Finished[]): Promise<void> {
    const healthy = new Set<string>();
    const failing = new Map<string, string>();
    for (const { delivery, result } of batch) {
      if (!result) continue;
      const endpointId = delivery.endpoint.endpointId;
      if (result.outcome === 'delivered') {
        if (delivery.endpoint.failing) healthy.add(endpointId);
      } else failing.set(endpointId, result.error);
    }
    for (const endpointId of failing.keys()) healthy.delete(endpointId);
    if (healthy.size) await this.endpoints.markHealthy([...healthy]);
    const now = new Date();
    for (const [endpointId, error] of failing) {
      if (
        await this.endpoints.markFailing(
          endpointId,
          now,
          this.config.WEBHOOK_DISABLE_AFTER_MS,
          error,
        )
      ) {
        this.metrics.endpointsDisabled.inc();
        this.logger.warn(`endpoint ${endpointId} disabled: failing for too long`);
      }
    }
  }
}

function attemptOutcome(result: Extract<AttemptResult, { outcome: 'failed' }>): string {
  if (result.httpCode) return 'http_error';
  if (!result.retry || /resolves to|does not resolve/.test(result.error)) return 'refused';
  if (/no answer within/.test(result.error)) return 'timeout';
  return 'network';
}
