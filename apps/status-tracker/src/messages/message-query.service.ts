import { Inject, Injectable } from '@nestjs/common';
import type {
  MessageStatusName,
  ProcessFailedReasonName,
  TemplateTypeName,
} from '@sms/domain-catalogue';
import { PageTokenCodec } from '@sms/domain-page-token';
import { retentionCutoff } from '@sms/platform-database';
import { normalizePhone } from '@sms/domain-phone';
import { STATUS_CONFIG, type StatusConfig } from '../config';
import { processFailedReasonEnum, statusEnum, templateTypeEnum } from './message-enums';
import { fromRow } from './message-record';
import type { MessageState } from './message-state-machine';
import { rollupCanServe } from './message-stats-rollup';
import {
  InvalidMessageQueryError,
  MessageNotFoundError,
  TooManyLookupsError,
} from './messages.errors';
import { MessagesRepository, type MessageFilter } from './messages.repository';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
export const MAX_LOOKUPS = 1000;
/** Reply attribution looks this far back from the reply's receive time. */
export const ATTRIBUTION_WINDOW_MS = 72 * 3_600_000;
/** A `from` this close to the window start is taken as the window start (client clocks). */
const WINDOW_GRACE_MS = 60_000;

/** Where the next page starts, as carried in a page token: (request_time in ms, message_id). */
type MessagePosition = { readonly t: number; readonly id: string };
const isMessagePosition = (value: unknown): value is MessagePosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as { t: unknown }).t) &&
  typeof (value as { id: unknown }).id === 'string';

/** An enum filter: undefined = no filter, null = a value this service does not know. */
type EnumFilter<T> = T | undefined | null;

export interface ListMessagesQuery extends MessageFilterQuery {
  readonly pageSize: number;
  readonly pageToken: string;
}

/** The filters shared by ListMessages and GetMessageStats. */
export interface MessageFilterQuery {
  readonly accountId: string;
  /** An operator's search: accountId may be empty (every account). */
  readonly asOperator?: boolean;
  readonly phone: string;
  readonly templateId: string;
  readonly templateType: EnumFilter<TemplateTypeName>;
  readonly label: string;
  readonly smsUser: string;
  readonly status: EnumFilter<MessageStatusName>;
  /** Any of these; empty does not filter. A null element is a value this service does not know. */
  readonly statuses?: readonly (MessageStatusName | undefined | null)[];
  readonly processFailedReason: EnumFilter<ProcessFailedReasonName>;
  readonly sendFailureCode: EnumFilter<number>;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
}

export type StatsBucketSize = 'DAY' | 'HOUR';

export interface MessageStatsQuery extends MessageFilterQuery {
  readonly bucketSize: EnumFilter<StatsBucketSize>;
}

/** Counts of one bucket (or of the whole period). Maps hold only non-zero counts. */
export interface MessageStats {
  readonly start: Date;
  messages: number;
  entries: number;
  readonly statuses: Map<MessageStatusName, number>;
  readonly processFailedReasons: Map<ProcessFailedReasonName, number>;
  readonly sendFailureCodes: Map<number, number>;
}

const BUCKET_MS: Record<StatsBucketSize, number> = { DAY: 86_400_000, HOUR: 3_600_000 };

export interface LatestMessageQuery {
  readonly phone: string;
  readonly accountId: string;
  readonly at: Date | undefined;
  /** '' = any message; else only this message (if it went to the phone within the window). */
  readonly messageId?: string;
}

@Injectable()
export class MessageQueryService {
  private readonly tokens: PageTokenCodec;

  constructor(
    private readonly repository: MessagesRepository,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {
    this.tokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async getMessage(
    accountId: string,
    messageId: string,
    asOperator = false,
  ): Promise<MessageState> {
    if (!accountId && !asOperator) throw new InvalidMessageQueryError('account_id is required');
    if (!messageId) throw new InvalidMessageQueryError('message_id is required');
    const row = await this.repository.findMessage(
      accountId || undefined,
      messageId,
      retentionCutoff(new Date(), this.config.RETENTION_DAYS),
    );
    // Another account's message is answered exactly like a missing one.
    if (!row) throw new MessageNotFoundError(`message ${messageId} not found`);
    return fromRow(row);
  }

  /** Messages by account and id (another account's answered like a missing one), in order. */
  async getMessages(
    refs: readonly { readonly accountId: string; readonly messageId: string }[],
  ): Promise<(MessageState | undefined)[]> {
    if (refs.length > MAX_LOOKUPS)
      throw new TooManyLookupsError(`refs has ${refs.length} entries; at most ${MAX_LOOKUPS}`);
    refs.forEach((ref, index) => {
      if (!ref.accountId)
        throw new InvalidMessageQueryError(`refs[${index}].account_id is required`);
      if (!ref.messageId)
        throw new InvalidMessageQueryError(`refs[${index}].message_id is required`);
    });
    if (refs.length === 0) return [];
    const found = await this.repository.findMessages(
      refs,
      retentionCutoff(new Date(), this.config.RETENTION_DAYS),
    );
    return refs.map((_, index) => {
      const row = found.get(index);
      return row ? fromRow(row) : undefined;
    });
  }

  async listMessages(
    query: ListMessagesQuery,
    now = new Date(),
  ): Promise<{ messages: MessageState[]; nextPageToken: string }> {
    const filter = this.toFilter(query, now);
    const pageSize = query.pageSize === 0 ? DEFAULT_PAGE_SIZE : query.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
      throw new InvalidMessageQueryError(
        `page_size must be 1..${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`,
      );
    // The token is bound to the account and the filters as the client gave them.
    const scope = JSON.stringify({
      ...filter,
      from: query.from?.getTime(),
      to: query.to?.getTime(),
    });
    const position = this.tokens.decode(query.pageToken, scope, isMessagePosition);
    const after = position && { requestTime: new Date(position.t), messageId: position.id };
    const rows = await this.repository.listMessages(filter, after, pageSize + 1);
    const page = rows.slice(0, pageSize).map(fromRow);
    const last = page[page.length - 1];
    return {
      messages: page,
      nextPageToken:
        rows.length > pageSize && last
          ? this.tokens.encode(
              { t: last.requestTime.getTime(), id: last.messageId } satisfies MessagePosition,
              scope,
            )
          : '',
    };
  }

  /**
   * Per-bucket counts by status, process-failed reason and send-failure code, and entries, of
   * exactly the messages ListMessages returns for the same filters (one shared WHERE; from the
   * hourly rollup when every filter is one of its dimensions). Every
   * bucket of the period is answered, empty ones included, so a chart needs no gap filling.
   */
  async messageStats(
    query: MessageStatsQuery,
    now = new Date(),
  ): Promise<{ buckets: MessageStats[]; total: MessageStats }> {
    const filter = this.toFilter(query, now);
    if (query.bucketSize === null)
      throw new InvalidMessageQueryError('bucket_size is not a known value');
    const size = query.bucketSize ?? 'DAY';
    const step = BUCKET_MS[size];
    const end = (query.to ?? now).getTime();
    const empty = (start: Date): MessageStats => ({
      start,
      messages: 0,
      entries: 0,
      statuses: new Map(),
      processFailedReasons: new Map(),
      sendFailureCodes: new Map(),
    });
    const buckets = new Map<number, MessageStats>();
    // UTC days and hours are whole multiples of the step since the epoch.
    for (let t = Math.floor(filter.from.getTime() / step) * step; t < end; t += step) {
      buckets.set(t, empty(new Date(t)));
    }
    const total = empty(new Date(Math.floor(filter.from.getTime() / step) * step));
    const rows =
      this.config.STATS_FROM_ROLLUP && rollupCanServe(filter)
        ? await this.repository.countMessagesFromRollup(filter, size === 'DAY' ? 'day' : 'hour')
        : await this.repository.countMessages(filter, size === 'DAY' ? 'day' : 'hour');
    const add = <K>(map: Map<K, number>, key: K, count: number) =>
      map.set(key, (map.get(key) ?? 0) + count);
    for (const row of rows) {
      let bucket = buckets.get(row.bucket.getTime());
      if (!bucket) {
        // A row past `now` (clock skew of the sender) still counts, in its own bucket.
        bucket = empty(row.bucket);
        buckets.set(row.bucket.getTime(), bucket);
      }
      for (const target of [bucket, total]) {
        target.messages += row.messages;
        target.entries += row.entries;
        add(target.statuses, statusEnum.fromDb(row.status), row.messages);
        if (row.processFailedReason !== null)
          add(
            target.processFailedReasons,
            processFailedReasonEnum.fromDb(row.processFailedReason),
            row.messages,
          );
        if (row.sendFailureCode !== null)
          add(target.sendFailureCodes, row.sendFailureCode, row.messages);
      }
    }
    return {
      buckets: [...buckets.values()].sort((a, b) => a.start.getTime() - b.start.getTime()),
      total,
    };
  }

  async findLatestMessages(
    lookups: readonly LatestMessageQuery[],
    now = new Date(),
  ): Promise<(MessageState | undefined)[]> {
    if (lookups.length > MAX_LOOKUPS)
      throw new TooManyLookupsError(
        `lookups has ${lookups.length} entries; at most ${MAX_LOOKUPS}`,
      );
    const resolved = lookups.map((lookup, index) => {
      const to = lookup.at ?? now;
      return {
        phone: normalizePhone(lookup.phone, `lookups[${index}].phone`),
        accountId: lookup.accountId,
        messageId: lookup.messageId ?? '',
        from: new Date(to.getTime() - ATTRIBUTION_WINDOW_MS),
        to,
      };
    });
    const found = await this.repository.findLatest(resolved);
    return lookups.map((_, index) => {
      const row = found.get(index);
      return row ? fromRow(row) : undefined;
    });
  }

  private toFilter(query: MessageFilterQuery, now: Date): MessageFilter {
    if (!query.accountId && !query.asOperator)
      throw new InvalidMessageQueryError('account_id is required');
    const windowStart = retentionCutoff(now, this.config.RETENTION_DAYS);
    const known = <T>(value: EnumFilter<T>, field: string): T | undefined => {
      if (value === null) throw new InvalidMessageQueryError(`${field} is not a known value`);
      return value;
    };
    if (query.from && query.from.getTime() < windowStart.getTime() - WINDOW_GRACE_MS)
      throw new InvalidMessageQueryError(
        `from ${query.from.toISOString()} reaches before the retention window of ${this.config.RETENTION_DAYS} days (oldest allowed ${windowStart.toISOString()})`,
      );
    const from = query.from && query.from > windowStart ? query.from : windowStart;
    if (query.to && query.to <= from)
      throw new InvalidMessageQueryError(
        query.from
          ? 'from must be before to'
          : `to ${query.to.toISOString()} lies before the retention window (oldest allowed ${windowStart.toISOString()})`,
      );
    const templateType = known(query.templateType, 'template_type');
    const status = known(query.status, 'status');
    const statuses = (query.statuses ?? []).map((value, index) => {
      const name = known(value, `statuses[${index}]`);
      if (name === undefined)
        throw new InvalidMessageQueryError(`statuses[${index}] must not be unspecified`);
      return statusEnum.toDb(name);
    });
    const reason = known(query.processFailedReason, 'process_failed_reason');
    const code = known(query.sendFailureCode, 'send_failure_code');
    return {
      accountId: query.accountId || undefined,
      phone: query.phone ? normalizePhone(query.phone, 'phone') : undefined,
      templateId: query.templateId || undefined,
      templateType: templateType ? templateTypeEnum.toDb(templateType) : undefined,
      label: query.label || undefined,
      smsUser: query.smsUser || undefined,
      status: status ? statusEnum.toDb(status) : undefined,
      statuses: statuses.length ? [...new Set(statuses)].sort((a, b) => a - b) : undefined,
      processFailedReason: reason ? processFailedReasonEnum.toDb(reason) : undefined,
      sendFailureCode: code,
      from,
      to: query.to,
    };
  }
}
