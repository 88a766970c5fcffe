import { Inject, Injectable } from '@nestjs/common';
import { PageTokenCodec } from '@sms/domain-page-token';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { IndexWriter } from '../hot-index/index-writer';
import { pageSize, requireId } from '../request-fields';
import type { UnsubscribeRecord, UnsubscribeSourceName } from './unsubscribe.entity';
import { InvalidUnsubscribeRequestError } from './unsubscribes.errors';
import { UnsubscribesRepository, type UnsubscribePosition } from './unsubscribes.repository';
import { InterceptionWebhookRelay } from '../webhook-events/interception-webhook.relay';

export interface AddUnsubscribeCommand {
  readonly accountId: string;
  /** E.164 (normalised at the edge). */
  readonly phone: string;
  readonly source: UnsubscribeSourceName | undefined;
  readonly replyId: string;
  readonly occurredAt: Date | undefined;
}

const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const isPosition = (value: unknown): value is UnsubscribePosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as UnsubscribePosition).at) &&
  typeof (value as UnsubscribePosition).phone === 'string';

/** The per-account unsubscribe list (SPEC 3.3): idempotent, ordered by when the recipient asked. */
@Injectable()
export class UnsubscribesService {
  private readonly pageTokens: PageTokenCodec;

  constructor(
    private readonly repository: UnsubscribesRepository,
    private readonly writer: IndexWriter,
    private readonly webhooks: InterceptionWebhookRelay,
    @Inject(INTERCEPTION_CONFIG) config: InterceptionConfig,
  ) {
    this.pageTokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  /** record is undefined when a newer resubscribe already overrides this unsubscribe. */
  async add(
    command: AddUnsubscribeCommand,
  ): Promise<{ record: UnsubscribeRecord | undefined; created: boolean }> {
    const accountId = requireId(command.accountId, 'account_id');
    if (!command.source) throw new InvalidUnsubscribeRequestError('source must be REPLY or API');
    let replyId: string | null = null;
    if (command.source === 'REPLY') replyId = requireId(command.replyId, 'reply_id');
    else if (command.replyId) {
      throw new InvalidUnsubscribeRequestError('reply_id is only for source REPLY');
    }
    const occurredAt = this.occurredAt(command.occurredAt);
    const { changed, record } = await this.repository.add({
      accountId,
      phone: command.phone,
      source: command.source,
      replyId,
      occurredAt,
    });
    // After the commit: the unsubscribe.changed event is durable in webhook_outbox.
    if (changed) this.webhooks.kick();
    // Re-applied even when nothing changed: a retry must repair an index write a first try lost.
    await this.writer.writeIndex([], [record]);
    return { record: record.state === 'ACTIVE' ? record : undefined, created: changed };
  }

  async remove(
    accountIdInput: string,
    phone: string,
    occurredAtInput: Date | undefined,
  ): Promise<boolean> {
    const accountId = requireId(accountIdInput, 'account_id');
    const occurredAt = this.occurredAt(occurredAtInput);
    const { removed, record } = await this.repository.remove(accountId, phone, occurredAt);
    if (removed) this.webhooks.kick();
    if (record) await this.writer.writeIndex([], [record]);
    return removed;
  }

  async list(
    accountIdInput: string,
    phone: string | undefined,
    size: number,
    pageToken: string,
  ): Promise<{ records: UnsubscribeRecord[]; nextPageToken: string }> {
    const accountId = requireId(accountIdInput, 'account_id');
    const limit = pageSize(size);
    const boundTo = { accountId, phone };
    const after = this.pageTokens.decode(pageToken, boundTo, isPosition);
    const rows = await this.repository.list(accountId, phone, after, limit + 1);
    const records = rows.slice(0, limit);
    const last = records[records.length - 1];
    const nextPageToken =
      rows.length > limit && last
        ? this.pageTokens.encode({ at: last.since.getTime(), phone: last.phone }, boundTo)
        : '';
    return { records, nextPageToken };
  }

  private occurredAt(value: Date | undefined): Date {
    const now = new Date();
    if (!value) return now;
    if (value.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new InvalidUnsubscribeRequestError('occurred_at is in the future');
    }
    return value;
  }
}
