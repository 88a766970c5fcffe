import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DISPATCHER_CONFIG, type DispatcherConfig } from '../config';
import { resolveTarget, urlProblem } from '../outbound/webhook-url';
import { newWebhookSecret } from '../signing/standard-webhooks';
import { SecretBox } from '../signing/secret-box';
import {
  EndpointNotFoundError,
  InvalidEndpointError,
  TooManyEndpointsError,
} from './endpoints.errors';
import { EndpointsRepository } from './endpoints.repository';
import { EVENT_TYPES, isEventType } from './event-types';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const UPDATABLE_FIELDS = ['url', 'event_types', 'enabled'] as const;
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];

export interface EndpointChanges {
  readonly fields: readonly string[];
  readonly url?: string;
  readonly eventTypes?: readonly string[];
  readonly enabled?: boolean;
}

export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  /** Shown once: at creation and at each rotation. */
  readonly secret: string;
}

/** Customers' endpoints: create, read, change, delete, rotate the secret; one account each. */
@Injectable()
export class EndpointsService {
  constructor(
    private readonly repository: EndpointsRepository,
    private readonly secrets: SecretBox,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  async create(
    accountId: string,
    url: string,
    eventTypes: readonly string[],
  ): Promise<EndpointWithSecret> {
    requireAccount(accountId);
    const checkedUrl = await this.checkUrl(url);
    const types = checkEventTypes(eventTypes);
    const em = this.repository.fork();
    if ((await this.repository.count(em, accountId)) >= this.config.WEBHOOK_MAX_ENDPOINTS) {
      throw new TooManyEndpointsError(
        `an account has at most ${this.config.WEBHOOK_MAX_ENDPOINTS} webhook endpoints; delete one first`,
      );
    }
    const endpoint = new WebhookEndpoint();
    endpoint.endpointId = `ep_${randomBytes(12).toString('hex')}`;
    endpoint.accountId = accountId;
    endpoint.url = checkedUrl;
    endpoint.eventTypes = types;
    const secret = newWebhookSecret();
    endpoint.secretCiphertext = this.secrets.seal(secret, endpoint.endpointId);
    await em.persistAndFlush(endpoint);
    return { endpoint, secret };
  }

  async get(accountId: string, endpointId: string): Promise<WebhookEndpoint> {
    requireAccount(accountId);
    const endpoint = await this.repository.find(this.repository.fork(), accountId, endpointId);
    if (!endpoint) throw notFound(endpointId);
    return endpoint;
  }

  async list(accountId: string): Promise<WebhookEndpoint[]> {
    requireAccount(accountId);
    return this.repository.list(this.repository.fork(), accountId);
  }

  async update(
    accountId: string,
    endpointId: string,
    changes: EndpointChanges,
  ): Promise<WebhookEndpoint> {
    requireAccount(accountId);
    const fields = new Set(changes.fields);
    if (!fields.size) throw new InvalidEndpointError('update_mask must name at least one field');
    for (const field of fields) {
      if (!(UPDATABLE_FIELDS as readonly string[]).includes(field)) {
        throw new InvalidEndpointError(
          `update_mask: "${field}" cannot be changed; use ${UPDATABLE_FIELDS.join(', ')}`,
        );
      }
    }
    // Checked before anything is loaded or written: a bad change leaves the endpoint as it was.
    const url = fields.has('url') ? await this.checkUrl(changes.url ?? '') : undefined;
    const types = fields.has('event_types') ? checkEventTypes(changes.eventTypes ?? []) : undefined;
    const em = this.repository.fork();
    const endpoint = await this.repository.find(em, accountId, endpointId);
    if (!endpoint) throw notFound(endpointId);
    if (url !== undefined) endpoint.url = url;
    if (types !== undefined) endpoint.eventTypes = types;
    if (fields.has('enabled')) {
      const enabled = changes.enabled === true;
      if (enabled && !endpoint.enabled) {
        // Re-enabled by the account: a fresh start, the old failures no longer count.
        endpoint.failingSince = null;
      }
      endpoint.enabled = enabled;
      endpoint.disabledReason = enabled ? '' : 'disabled by the account';
    }
    endpoint.updatedAt = new Date();
    await em.flush();
    return endpoint;
  }

  async delete(accountId: string, endpointId: string): Promise<void> {
    requireAccount(accountId);
    const em = this.repository.fork();
    const endpoint = await this.repository.find(em, accountId, endpointId);
    if (!endpoint) throw notFound(endpointId);
    const now = new Date();
    endpoint.deletedAt = now;
    endpoint.enabled = false;
    endpoint.disabledReason = 'deleted';
    endpoint.updatedAt = now;
    await em.flush();
  }

  async rotateSecret(accountId: string, endpointId: string): Promise<EndpointWithSecret> {
    requireAccount(accountId);
    const em = this.repository.fork();
    const endpoint = await this.repository.find(em, accountId, endpointId);
    if (!endpoint) throw notFound(endpointId);
    const secret = newWebhookSecret();
    endpoint.secretCiphertext = this.secrets.seal(secret, endpoint.endpointId);
    endpoint.updatedAt = new Date();
    await em.flush();
    return { endpoint, secret };
  }

  /** The plaintext secret, for signing only. */
  secretOf(endpoint: WebhookEndpoint): string {
    return this.secrets.open(endpoint.secretCiphertext, endpoint.endpointId);
  }

  private async checkUrl(raw: string): Promise<string> {
    const rules = { allowHttp: this.config.WEBHOOK_ALLOW_HTTP };
    const problem = urlProblem(raw, rules);
    if (problem) throw new InvalidEndpointError(problem);
    const target = await resolveTarget(new URL(raw), this.config.WEBHOOK_ALLOWED_CIDRS.list);
    if (!target.ok) throw new InvalidEndpointError(`url refused: ${target.problem}`);
    return new URL(raw).toString();
  }
}

function requireAccount(accountId: string): void {
  if (!accountId) throw new InvalidEndpointError('account_id is required');
}

function notFound(endpointId: string): EndpointNotFoundError {
  return new EndpointNotFoundError(`webhook endpoint ${endpointId} not found`);
}

function checkEventTypes(eventTypes: readonly string[]): string[] {
  const types = [...new Set(eventTypes)];
  if (!types.length) {
    throw new InvalidEndpointError(
      `event_types must name at least one of ${EVENT_TYPES.join(', ')}`,
    );
  }
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length) {
    throw new InvalidEndpointError(
      `event_types: unknown ${unknown.map((type) => `"${type}"`).join(', ')}; use ${EVENT_TYPES.join(', ')}`,
    );
  }
  return types.sort();
}
