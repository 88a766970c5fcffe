import { Inject, Injectable } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { randomBytes } from 'node:crypto';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { EndpointNotFoundError } from '../endpoints/endpoints.errors';
import { EndpointsRepository } from '../endpoints/endpoints.repository';
import { isEventType } from '../endpoints/event-types';
import type { WebhookEventRecord } from '../events/webhook-event.entity';
import {
  DeliveryNotFoundError,
  InvalidDeliveryQueryError,
  TooManyEventsError,
} from './deliveries.errors';
import {
  DeliveriesRepository,
  type DeliveryPosition,
  type NewDelivery,
} from './deliveries.repository';
import { DeliveryPump } from './delivery-pump';
import type { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookMetrics } from './webhook-metrics';

export const MAX_EVENTS_PER_PUBLISH = 1000;
const EVENT_ID = /^[A-Za-z0-9_.-]{1,128}$/;

export interface IncomingEvent {
  readonly eventId: string;
  readonly type: string;
  readonly accountId: string;
  readonly occurredAt: Date | undefined;
  readonly dataJson: string;
}

export interface PublishResult {
  readonly deliveries: number;
  readonly withoutEndpoint: number;
  readonly rejected: { eventId: string; reason: string }[];
}

export interface DeliveryView extends WebhookDelivery {
  readonly eventType: string;
}

const isPosition = (value: unknown): value is DeliveryPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as DeliveryPosition).at) &&
  typeof (value as DeliveryPosition).deliveryId === 'string';

/** Events in, deliveries out: fan-out to subscribed endpoints, the list, redeliver. */
@Injectable()
export class DeliveriesService {
  private readonly tokens: PageTokenCodec;

  constructor(
    private readonly repository: DeliveriesRepository,
    private readonly endpoints: EndpointsRepository,
    private readonly metrics: WebhookMetrics,
    private readonly pump: DeliveryPump,
    @Inject(DISPATCHER_CONFIG) config: DispatcherConfig,
  ) {
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  /**
   * Stores the events that have a subscribed, enabled endpoint with one delivery per endpoint
   * (one statement), then wakes the pump. Idempotent: an event handed over again creates nothing.
   * Invalid events are reported back (the relay dead-letters them); the others are confirmed.
   */
  async publish(events: readonly IncomingEvent[]): Promise<PublishResult> {
    if (events.length > MAX_EVENTS_PER_PUBLISH) {
      throw new TooManyEventsError(
        `events has ${events.length} entries; at most ${MAX_EVENTS_PER_PUBLISH} per call`,
      );
    }
    const rejected: { eventId: string; reason: string }[] = [];
    const valid: Omit<WebhookEventRecord, 'createdAt'>[] = [];
    for (const event of events) {
      const parsed = parseEvent(event);
      if (typeof parsed === 'string') {
        rejected.push({ eventId: event.eventId, reason: parsed });
        this.metrics.events.inc({ type: 'invalid', result: 'rejected' });
      } else valid.push(parsed);
    }
    const endpoints = valid.length
      ? await this.endpoints.enabledFor(this.endpoints.fork(), [
          ...new Set(valid.map((event) => event.accountId)),
        ])
      : [];
    const stored: Omit<WebhookEventRecord, 'createdAt'>[] = [];
    const deliveries: NewDelivery[] = [];
    let withoutEndpoint = 0;
    for (const event of valid) {
      const targets = endpoints.filter(
        (endpoint) =>
          endpoint.accountId === event.accountId && endpoint.eventTypes.includes(event.type),
      );
      if (!targets.length) {
        withoutEndpoint += 1;
        this.metrics.events.inc({ type: event.type, result: 'without_endpoint' });
        continue;
      }
      stored.push(event);
      for (const endpoint of targets) {
        deliveries.push({
          deliveryId: `dl_${randomBytes(12).toString('hex')}`,
          endpointId: endpoint.endpointId,
          eventId: event.eventId,
        });
      }
    }
    const created = await this.repository.store(stored, deliveries);
    const createdEvents = new Set(created.map((delivery) => delivery.eventId));
    for (const event of stored) {
      this.metrics.events.inc({
        type: event.type,
        result: createdEvents.has(event.eventId) ? 'stored' : 'duplicate',
      });
    }
    if (created.length) this.pump.kick();
    return { deliveries: created.length, withoutEndpoint, rejected };
  }

  /** Deliveries of one of the account's endpoints, newest first. */
  async list(
    accountId: string,
    endpointId: string,
    pageSize: number,
    pageToken: string,
  ): Promise<{ deliveries: DeliveryView[]; nextPageToken: string }> {
    const size = pageSize === 0 ? 50 : pageSize;
    if (!Number.isInteger(size) || size < 1 || size > 500) {
      throw new InvalidDeliveryQueryError('page_size must be between 1 and 500');
    }
    const em = this.repository.fork();
    await this.requireEndpoint(accountId, endpointId);
    const scope = { list: 'webhook-deliveries', endpointId };
    const after = this.tokens.decode(pageToken, scope, isPosition);
    const rows = await this.repository.page(em, endpointId, size + 1, after);
    const page = rows.slice(0, size);
    const types = await this.repository.eventTypes(
      em,
      page.map((row) => row.eventId),
    );
    const last = page[page.length - 1];
    return {
      deliveries: page.map((row) =>
        Object.assign(row, { eventType: types.get(row.eventId) ?? '' }),
      ),
      nextPageToken:
        rows.length > size && last
          ? this.tokens.encode({ at: last.createdAt.getTime(), deliveryId: last.deliveryId }, scope)
          : '',
    };
  }

  /** Sends the event again now: a fresh round of attempts under the same webhook-id. */
  async redeliver(
    accountId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<DeliveryView> {
    await this.requireEndpoint(accountId, endpointId);
    const em = this.repository.fork();
    const delivery = await this.repository.find(em, deliveryId);
    if (!delivery || delivery.endpointId !== endpointId) {
      throw new DeliveryNotFoundError(`delivery ${deliveryId} not found`);
    }
    const round = delivery.round;
    if (await this.repository.nextRound(deliveryId, round)) this.pump.kick();
    const fresh = await this.repository.find(this.repository.fork(), deliveryId);
    const types = await this.repository.eventTypes(em, [delivery.eventId]);
    return Object.assign(fresh ?? delivery, { eventType: types.get(delivery.eventId) ?? '' });
  }

  private async requireEndpoint(accountId: string, endpointId: string): Promise<void> {
    if (!accountId) throw new InvalidDeliveryQueryError('account_id is required');
    // Deleted endpoints keep their history visible.
    const endpoint = await this.endpoints.byId(this.endpoints.fork(), endpointId);
    if (!endpoint || endpoint.accountId !== accountId) {
      throw new EndpointNotFoundError(`webhook endpoint ${endpointId} not found`);
    }
  }
}

function parseEvent(event: IncomingEvent): Omit<WebhookEventRecord, 'createdAt'> | string {
  if (!EVENT_ID.test(event.eventId)) return 'event_id must be 1..128 of A-Z a-z 0-9 _ . -';
  if (!isEventType(event.type)) return `type "${event.type}" is not a webhook event type`;
  if (!event.accountId) return 'account_id is required';
  if (!event.occurredAt || Number.isNaN(event.occurredAt.getTime()))
    return 'occurred_at is required';
  let data: unknown;
  try {
    data = JSON.parse(event.dataJson);
  } catch {
    return 'data_json is not JSON';
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return 'data_json must be a JSON object';
  }
  return {
    eventId: event.eventId,
    type: event.type,
    accountId: event.accountId,
    occurredAt: event.occurredAt,
    data: data as Record<string, unknown>,
  };
}
