import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InvalidPageTokenError, PageTokenCodec } from '@sms/domain-page-token';
import { normalizePhone } from '@sms/domain-phone';
import type { Queue } from 'bullmq';
import type { Attribution, AttributionKind } from '../attribution/attribution-plan';
import { AttributionService, MAX_LOOKUPS_PER_CALL } from '../attribution/attribution.service';
import { REPLY_CONFIG, type ReplyConfig } from '../config';
import { KeywordEffectsService } from '../keyword-effects/keyword-effects.service';
import { KeywordMatcher, type KeywordAction } from '../keywords/keyword-matcher';
import { retentionCutoff } from '@sms/platform-database';
import type { WebhookOutboxEvent } from '@sms/platform-outbox';
import { RetentionService } from '../retention/retention.service';
import { InvalidReplyQueryError, ReplyBatchTooLargeError } from './replies.errors';
import { ReplyMetrics } from './replies.metrics';
import {
  RepliesRepository,
  type NewKeywordEffect,
  type PageCursor,
  type StoredReply,
} from './replies.repository';
import { replyReceivedEvent } from '../webhook-events/reply-received-event';
import { ReplyWebhookRelay } from '../webhook-events/reply-webhook.relay';
import { MAX_REPLIES_PER_BATCH, validateInboundReply, type ValidReply } from './reply-validation';
import type { replyV1 } from '@sms/contracts';

export const PENDING_ATTRIBUTION_QUEUE = 'reply-pending-attribution';
export const PENDING_ATTRIBUTION_JOB = 'attribute-pending';
export const KEYWORD_MATCHER = Symbol('KEYWORD_MATCHER');

export type ReplyResultKind = 'APPLIED' | 'DUPLICATE' | 'REJECTED';

/** One reply's outcome, in request order. attribution/keywordAction undefined when not stored. */
export interface ReplyOutcome {
  readonly index: number;
  readonly replyId: string;
  readonly result: ReplyResultKind;
  readonly reason: string;
  readonly attribution: AttributionKind | undefined;
  readonly keywordAction: KeywordAction | undefined;
}

export interface ReplyListRequest {
  readonly accountId: string;
  readonly asOperator: boolean;
  readonly phone: string;
  readonly templateId: string;
  readonly label: string;
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  /** Replies attributed to this message; '' does not filter. */
  readonly messageId?: string;
  readonly pageSize: number;
  readonly pageToken: string;
}

export interface ReplyPage {
  readonly replies: StoredReply[];
  readonly nextPageToken: string;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const FROM_GRACE_MS = 60_000;
/** Message ids are the sending service's ids: at most 128 characters everywhere. */
const MAX_MESSAGE_ID_LENGTH = 128;

/** A page token's position: received_at in ms (r) and reply_id (i) of the last reply shown. */
type ReplyPosition = { readonly r: number; readonly i: string };
const isReplyPosition = (value: unknown): value is ReplyPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isFinite((value as { r: unknown }).r) &&
  typeof (value as { i: unknown }).i === 'string';

@Injectable()
export class RepliesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RepliesService.name);
  private readonly pageTokens: PageTokenCodec;

  constructor(
    private readonly repository: RepliesRepository,
    private readonly attribution: AttributionService,
    private readonly effects: KeywordEffectsService,
    private readonly retention: RetentionService,
    private readonly metrics: ReplyMetrics,
    private readonly webhooks: ReplyWebhookRelay,
    @Inject(KEYWORD_MATCHER) private readonly keywords: KeywordMatcher,
    @Inject(REPLY_CONFIG) private readonly config: ReplyConfig,
    @InjectQueue(PENDING_ATTRIBUTION_QUEUE) private readonly pendingQueue: Queue,
  ) {
    this.pageTokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pendingQueue.upsertJobScheduler(
      PENDING_ATTRIBUTION_JOB,
      { every: this.config.MAINTENANCE_INTERVAL_MS },
      { name: PENDING_ATTRIBUTION_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  /**
   * Validates, deduplicates, detects keywords, attributes (one status-tracker round for the
   * batch) and stores a batch with its outbox rows in one transaction; then enqueues the effects.
   */
  async record(inputs: readonly replyV1.InboundReply[]): Promise<ReplyOutcome[]> {
    if (inputs.length > MAX_REPLIES_PER_BATCH) {
      throw new ReplyBatchTooLargeError(
        `a batch holds at most ${MAX_REPLIES_PER_BATCH} replies; got ${inputs.length}`,
      );
    }
    const now = new Date();
    const limits = {
      now,
      oldestReceivedAt: retentionCutoff(now, this.config.RETENTION_DAYS),
      latestReceivedAt: new Date(now.getTime() + this.config.MAX_CLOCK_SKEW_MS),
    };
    const outcomes: ReplyOutcome[] = [];
    const valid: ValidReply[] = [];
    const inBatch = new Set<string>();
    inputs.forEach((input, index) => {
      const validation = validateInboundReply(input, index, limits);
      if (!validation.ok) {
        outcomes[index] = notStored(index, input.replyId ?? '', 'REJECTED', validation.reason);
      } else if (inBatch.has(validation.reply.replyId)) {
        outcomes[index] = notStored(
          index,
          validation.reply.replyId,
          'DUPLICATE',
          'reply_id appears earlier in this batch',
        );
      } else {
        inBatch.add(validation.reply.replyId);
        valid.push(validation.reply);
      }
    });

    const existing = await this.repository.existingReplyIds(valid.map((reply) => reply.replyId));
    const fresh = valid.filter((reply) => !existing.has(reply.replyId));
    for (const reply of valid) {
      if (existing.has(reply.replyId)) {
        outcomes[reply.index] = notStored(reply.index, reply.replyId, 'DUPLICATE', '');
      }
    }

    const attributions = await this.attribution.attribute(fresh);
    const rows = fresh.map((reply, position) =>
      toStoredReply(reply, this.keywords.match(reply.content), attributions[position]),
    );
    const effects = rows.flatMap(effectOf);
    await this.retention.ensurePartitionsFor(rows.map((row) => row.receivedAt));
    const stored = await this.repository.insertReplies(rows, effects, webhookEventsOf(rows));
    await this.effects.enqueue(effects.filter((e) => stored.has(e.replyId)).map((e) => e.replyId));
    if (stored.size) this.webhooks.kick();

    const indexOf = new Map(fresh.map((reply) => [reply.replyId, reply.index]));
    for (const row of rows) {
      const index = indexOf.get(row.replyId)!;
      outcomes[index] = stored.has(row.replyId)
        ? {
            index,
            replyId: row.replyId,
            result: 'APPLIED',
            reason: '',
            attribution: row.attribution,
            keywordAction: row.keywordAction,
          }
        : notStored(index, row.replyId, 'DUPLICATE', '');
    }
    this.count(outcomes, rows, effects, stored);
    return outcomes;
  }

  /** Attributes replies stored while status-tracker was unreachable; returns how many. */
  async completePendingAttributions(): Promise<number> {
    const pending = await this.repository.pendingAttribution(MAX_LOOKUPS_PER_CALL);
    if (pending.length === 0) return 0;
    const attributions = await this.attribution.attribute(
      pending.map((reply) => ({
        phone: reply.phone,
        receivedAt: reply.receivedAt,
        channelAccountId: reply.channelAccountId ?? undefined,
        channelMessageId: reply.channelMessageId ?? undefined,
      })),
    );
    const done = pending
      .map((reply, position) => ({ reply, attribution: attributions[position] }))
      .filter(({ attribution }) => attribution.kind !== 'PENDING');
    const updated = done.map(({ reply, attribution }) => ({
      ...reply,
      ...attributionColumns(attribution),
    }));
    // An effect already written at ingest (channel named the account) is kept: ON CONFLICT.
    const effects = updated.flatMap(effectOf);
    await this.repository.applyAttributions(updated, effects, webhookEventsOf(updated));
    await this.effects.enqueue(effects.map((effect) => effect.replyId));
    this.webhooks.kick();
    for (const { attribution } of done) {
      this.metrics.attributionsCompleted.inc({ attribution: attribution.kind });
    }
    if (done.length) this.logger.log(`attributed ${done.length} pending repl(ies)`);
    return done.length;
  }

  async list(request: ReplyListRequest): Promise<ReplyPage> {
    const accountId = request.accountId.trim();
    if (!accountId && !request.asOperator) {
      throw new InvalidReplyQueryError('account_id is required');
    }
    const pageSize = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : request.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidReplyQueryError(`page_size must be 1..${MAX_PAGE_SIZE}; got ${pageSize}`);
    }
    const phone = request.phone.trim() ? normalizePhone(request.phone, 'phone') : undefined;
    const messageId = (request.messageId ?? '').trim() || undefined;
    if (messageId && messageId.length > MAX_MESSAGE_ID_LENGTH) {
      throw new InvalidReplyQueryError(
        `message_id must be at most ${MAX_MESSAGE_ID_LENGTH} characters`,
      );
    }
    const now = new Date();
    const windowStart = retentionCutoff(now, this.config.RETENTION_DAYS);
    // A minute of grace: a client re-sending "30 days ago" from a slightly older clock reading,
    // or paging on through a listing, is not refused; the period is then cut at the window.
    if (request.from && request.from.getTime() < windowStart.getTime() - FROM_GRACE_MS) {
      throw new InvalidReplyQueryError(
        `from ${request.from.toISOString()} is before the retention window: replies are kept ` +
          `${this.config.RETENTION_DAYS} days (from ${windowStart.toISOString()})`,
      );
    }
    const from = request.from && request.from > windowStart ? request.from : windowStart;
    const to = request.to ?? new Date(now.getTime() + this.config.MAX_CLOCK_SKEW_MS + 1);
    if (from >= to) {
      throw new InvalidReplyQueryError(
        `from ${from.toISOString()} must be before to ${to.toISOString()}`,
      );
    }
    const scope = JSON.stringify([
      accountId,
      request.asOperator,
      phone ?? '',
      request.templateId,
      request.label,
      request.from?.getTime() ?? null,
      request.to?.getTime() ?? null,
      messageId ?? '',
    ]);
    let after: PageCursor | undefined;
    try {
      const position = this.pageTokens.decode(request.pageToken, scope, isReplyPosition);
      after = position && { receivedAtMs: position.r, replyId: position.i };
    } catch (error) {
      if (error instanceof InvalidPageTokenError) {
        throw new InvalidReplyQueryError(`page_token is invalid: ${error.reason}`);
      }
      throw error;
    }
    const rows = await this.repository.list({
      accountId: accountId || null,
      phone,
      templateId: request.templateId.trim() || undefined,
      label: request.label.trim() || undefined,
      messageId,
      from,
      to,
      after,
      limit: pageSize + 1,
    });
    const replies = rows.slice(0, pageSize);
    const last = replies[replies.length - 1];
    const nextPageToken =
      rows.length > pageSize && last
        ? this.pageTokens.encode(
            { r: last.receivedAt.getTime(), i: last.replyId } satisfies ReplyPosition,
            scope,
          )
        : '';
    return { replies, nextPageToken };
  }

  private count(
    outcomes: readonly ReplyOutcome[],
    rows: readonly StoredReply[],
    effects: readonly NewKeywordEffect[],
    stored: ReadonlySet<string>,
  ): void {
    for (const outcome of outcomes) {
      this.metrics.replies.inc({ result: outcome.result, attribution: outcome.attribution ?? '' });
    }
    const withEffect = new Set(effects.map((effect) => effect.replyId));
    for (const row of rows) {
      if (!stored.has(row.replyId) || row.keywordAction === 'NONE') continue;
      this.metrics.keywordActions.inc({
        action: row.keywordAction,
        effect: withEffect.has(row.replyId)
          ? 'queued'
          : row.attribution === 'PENDING'
            ? 'awaiting_attribution'
            : 'no_account',
      });
    }
  }
}

function notStored(
  index: number,
  replyId: string,
  result: ReplyResultKind,
  reason: string,
): ReplyOutcome {
  return { index, replyId, result, reason, attribution: undefined, keywordAction: undefined };
}

function attributionColumns(attribution: Attribution) {
  return {
    accountId: attribution.accountId,
    messageId: attribution.messageId,
    templateId: attribution.templateId,
    labels: attribution.labels,
    smsUser: attribution.smsUser,
    attribution: attribution.kind,
  };
}

function toStoredReply(
  reply: ValidReply,
  keywordAction: KeywordAction,
  attribution: Attribution,
): StoredReply {
  return {
    replyId: reply.replyId,
    receivedAt: reply.receivedAt,
    phone: reply.phone,
    content: reply.content,
    operator: reply.operator,
    channel: reply.channel,
    ...attributionColumns(attribution),
    keywordAction,
    channelAccountId: reply.channelAccountId ?? null,
    channelMessageId: reply.channelMessageId ?? null,
  };
}

/** The reply.received events of these replies, by reply id (replies without an account have none). */
function webhookEventsOf(replies: readonly StoredReply[]): Map<string, WebhookOutboxEvent> {
  const events = new Map<string, WebhookOutboxEvent>();
  for (const reply of replies) {
    const event = replyReceivedEvent(reply);
    if (event) events.set(reply.replyId, event);
  }
  return events;
}

/** Only a reply with a known account can change an unsubscribe list. */
function effectOf(reply: StoredReply): NewKeywordEffect[] {
  if (reply.keywordAction === 'NONE' || !reply.accountId) return [];
  return [
    {
      replyId: reply.replyId,
      accountId: reply.accountId,
      phone: reply.phone,
      action: reply.keywordAction,
      occurredAt: reply.receivedAt,
    },
  ];
}
