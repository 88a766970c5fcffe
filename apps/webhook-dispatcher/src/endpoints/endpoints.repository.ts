import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** webhook_endpoint rows; every read is scoped to one account (deleted rows are invisible). */
@Injectable()
export class EndpointsRepository {
  constructor(private readonly orm: MikroORM) {}

  fork(): EntityManager {
    return this.orm.em.fork();
  }

  find(em: EntityManager, accountId: string, endpointId: string): Promise<WebhookEndpoint | null> {
    return em.findOne(WebhookEndpoint, { endpointId, accountId, deletedAt: null });
  }

  list(em: EntityManager, accountId: string): Promise<WebhookEndpoint[]> {
    return em.find(
      WebhookEndpoint,
      { accountId, deletedAt: null },
      { orderBy: { createdAt: 'asc', endpointId: 'asc' } },
    );
  }

  count(em: EntityManager, accountId: string): Promise<number> {
    return em.count(WebhookEndpoint, { accountId, deletedAt: null });
  }

  /** Enabled endpoints of these accounts, for fanning events out. */
  enabledFor(em: EntityManager, accountIds: readonly string[]): Promise<WebhookEndpoint[]> {
    return em.find(WebhookEndpoint, {
      accountId: { $in: [...accountIds] },
      enabled: true,
      deletedAt: null,
    });
  }

  /** Any endpoint by id (the delivery worker; deleted ones included). */
  byId(em: EntityManager, endpointId: string): Promise<WebhookEndpoint | null> {
    return em.findOne(WebhookEndpoint, { endpointId });
  }

  /** Deliveries to these endpoints succeeded: they are healthy again. */
  async markHealthy(endpointIds: readonly string[]): Promise<void> {
    await this.fork().nativeUpdate(
      WebhookEndpoint,
      { endpointId: { $in: [...endpointIds] }, failingSince: { $ne: null } },
      { failingSince: null },
    );
  }

  /**
   * A delivery attempt failed: notes since when it fails and disables the endpoint once that is
   * longer ago than `disableAfterMs`. Returns true when this call disabled it.
   */
  async markFailing(
    endpointId: string,
    now: Date,
    disableAfterMs: number,
    lastError: string,
  ): Promise<boolean> {
    const em = this.fork();
    await em.nativeUpdate(
      WebhookEndpoint,
      { endpointId, failingSince: null },
      { failingSince: now },
    );
    const cutoff = new Date(now.getTime() - disableAfterMs);
    const disabled = await em.nativeUpdate(
      WebhookEndpoint,
      { endpointId, enabled: true, failingSince: { $lte: cutoff } },
      {
        enabled: false,
        disabledReason: `disabled automatically at ${now.toISOString()}: every delivery failed for ${formatDuration(disableAfterMs)}; last error: ${lastError.slice(0, 300)}`,
        updatedAt: now,
      },
    );
    return disabled === 1;
  }
}

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day(s)`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour(s)`;
  return `${ms} ms`;
}
