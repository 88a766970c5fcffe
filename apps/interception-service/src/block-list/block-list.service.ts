import { Inject, Injectable } from '@nestjs/common';
import { CodeCatalogue } from '@sms/domain-catalogue';
import { PageTokenCodec } from '@sms/domain-page-token';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { IndexWriter } from '../hot-index/index-writer';
import { optionalText, pageSize, requireId, requireUuid } from '../request-fields';
import type { BlockEntry, EntryScope, EntrySourceName, EntryStateName } from './block-entry.entity';
import {
  ActiveEntryExistsError,
  EntryNotActiveError,
  EntryNotFoundError,
  GlobalEntryRequiresOperatorError,
  InvalidEntryRequestError,
  NotEntryOwnerError,
} from './block-list.errors';
import {
  BlockListRepository,
  type EntryFilter,
  type EntryPosition,
  type FailureOutcomeName,
} from './block-list.repository';
import { accessOf, planFailure, type Viewer } from './entry-rules';
import { InterceptionWebhookRelay } from '../webhook-events/interception-webhook.relay';

export interface RecordFailureCommand {
  readonly accountId: string;
  /** E.164 (normalised at the edge). */
  readonly phone: string;
  readonly messageId: string;
  readonly code: number;
  readonly detail: string;
  readonly occurredAt: Date | undefined;
}

export interface AddEntryCommand {
  readonly viewer: Viewer;
  readonly phone: string;
  readonly scope: EntryScope | undefined;
  readonly reason: string;
  readonly expiresAt: Date | undefined;
  readonly actor: string;
}

export interface ListEntriesQuery {
  readonly viewer: Viewer;
  readonly phone?: string;
  readonly sendFailureCode?: number;
  readonly source?: EntrySourceName;
  readonly scope?: EntryScope;
  readonly state?: EntryStateName;
  readonly from?: Date;
  readonly to?: Date;
  /** '' or undefined does not filter. */
  readonly messageId?: string;
  readonly pageSize: number;
  readonly pageToken: string;
}

export interface EntryPage {
  readonly entries: BlockEntry[];
  readonly nextPageToken: string;
}

const MAX_REASON = 500;
const MAX_DETAIL = 1000;
/** Failures stamped further in the future than this are refused (a broken clock upstream). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const isEntryPosition = (value: unknown): value is EntryPosition =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as EntryPosition).at) &&
  typeof (value as EntryPosition).id === 'string';

/** The block list's use cases (SPEC 3.1). PostgreSQL first, then the hot index and jobs. */
@Injectable()
export class BlockListService {
  private readonly pageTokens: PageTokenCodec;

  constructor(
    private readonly repository: BlockListRepository,
    private readonly writer: IndexWriter,
    private readonly webhooks: InterceptionWebhookRelay,
    private readonly catalogue: CodeCatalogue,
    @Inject(INTERCEPTION_CONFIG) config: InterceptionConfig,
  ) {
    this.pageTokens = new PageTokenCodec(config.PAGE_TOKEN_SECRET);
  }

  async recordFailure(
    command: RecordFailureCommand,
  ): Promise<{ outcome: FailureOutcomeName; entry: BlockEntry }> {
    const accountId = requireId(command.accountId, 'account_id');
    const messageId = requireId(command.messageId, 'message_id');
    const detail = optionalText(command.detail, 'detail', MAX_DETAIL);
    if (!this.catalogue.isKnownCode(command.code)) {
      throw new InvalidEntryRequestError(
        `code must be a send-failure code (500..590), got ${command.code || 'none'}`,
      );
    }
    const rule = this.catalogue.ruleFor(command.code);
    const now = new Date();
    const occurredAt = command.occurredAt ?? now;
    if (occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw new InvalidEntryRequestError('occurred_at is in the future');
    }
    const recorded = await this.repository.recordFailure({
      accountId,
      phone: command.phone,
      messageId,
      code: rule.code,
      reason: rule.description,
      detail,
      occurredAt,
      plan: planFailure(rule, occurredAt, now),
      now,
    });
    // After the commit: a new entry's block_list.entry_created event is durable in webhook_outbox.
    if (recorded.outcome === 'CREATED') this.webhooks.kick();
    // A DUPLICATE re-applies too: a retry after a crash between the commit
    // and these writes repairs them (put-if-newer and job ids make it idempotent).
    const changed = [...recorded.expiredOverdue, recorded.entry];
    await this.writer.writeIndex(changed, []);
    await this.writer.scheduleExpiry(
      [recorded.entry],
      recorded.replacedVersion === null
        ? []
        : [{ id: recorded.entry.id, version: recorded.replacedVersion }],
    );
    return { outcome: recorded.outcome, entry: recorded.entry };
  }

  async addEntry(command: AddEntryCommand): Promise<BlockEntry> {
    const { viewer } = command;
    const accountId = viewer.asOperator
      ? optionalText(viewer.accountId, 'account_id', 128)
      : requireId(viewer.accountId, 'account_id');
    if (!command.scope) throw new InvalidEntryRequestError('scope must be GLOBAL or LOCAL');
    if (command.scope === 'GLOBAL' && !viewer.asOperator)
      throw new GlobalEntryRequiresOperatorError();
    if (command.scope === 'LOCAL' && !accountId) {
      throw new InvalidEntryRequestError('account_id is required for a LOCAL entry');
    }
    const now = new Date();
    if (command.expiresAt && command.expiresAt.getTime() <= now.getTime()) {
      throw new InvalidEntryRequestError('expires_at must be in the future');
    }
    const reason = optionalText(command.reason, 'reason', MAX_REASON) || 'added manually';
    const actor =
      optionalText(command.actor, 'actor', 128) || (viewer.asOperator ? 'operator' : accountId);
    const result = await this.repository.addManual({
      phone: command.phone,
      scope: command.scope,
      ownerAccountId: accountId || null,
      reason,
      expiresAt: command.expiresAt ?? null,
      actor,
      now,
    });
    if (!result.created) throw new ActiveEntryExistsError(result.existing.id, command.scope);
    this.webhooks.kick();
    await this.writer.writeIndex([result.entry], []);
    await this.writer.scheduleExpiry([result.entry]);
    return result.entry;
  }

  /** The entry; another customer's GLOBAL entry comes redacted (it blocks this customer too). */
  async getEntry(viewer: Viewer, entryId: string): Promise<BlockEntry> {
    const entry = await this.visibleEntry(viewer, entryId);
    return accessOf(entry, this.checkedViewer(viewer)) === 'owner' ? entry : redacted(entry);
  }

  async deleteEntry(viewer: Viewer, entryId: string, actorInput: string): Promise<BlockEntry> {
    const entry = await this.visibleEntry(viewer, entryId);
    if (accessOf(entry, this.checkedViewer(viewer)) !== 'owner') throw new NotEntryOwnerError();
    const actor =
      optionalText(actorInput, 'actor', 128) || (viewer.asOperator ? 'operator' : viewer.accountId);
    const deleted =
      entry.state === 'ACTIVE' ? await this.repository.markDeleted(entry.id, actor) : null;
    if (!deleted) {
      // Already over (deleted, maybe by a first try whose index write was lost, or expired):
      // nothing changes, but its state is re-applied to the index (idempotent) before refusing.
      const current = (await this.repository.findById(entry.id))!;
      await this.writer.writeIndex([current], []);
      throw new EntryNotActiveError(entry.id, current.state);
    }
    await this.writer.writeIndex([deleted], []);
    await this.writer.scheduleExpiry([], [{ id: deleted.id, version: deleted.version }]);
    return deleted;
  }

  async listEntries(query: ListEntriesQuery): Promise<EntryPage> {
    const viewer = this.checkedViewer(query.viewer);
    const limit = pageSize(query.pageSize);
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) {
      throw new InvalidEntryRequestError('from must be before to');
    }
    if (query.sendFailureCode !== undefined && !this.catalogue.isKnownCode(query.sendFailureCode)) {
      throw new InvalidEntryRequestError(`send_failure_code ${query.sendFailureCode} is unknown`);
    }
    const filter: EntryFilter = {
      ownerAccountId: viewer.accountId || undefined,
      phone: query.phone,
      sendFailureCode: query.sendFailureCode,
      source: query.source,
      scope: query.scope,
      state: query.state,
      from: query.from,
      to: query.to,
      messageId: optionalText(query.messageId ?? '', 'message_id', 128) || undefined,
    };
    const boundTo = {
      operator: viewer.asOperator,
      ...filter,
      from: filter.from?.getTime(),
      to: filter.to?.getTime(),
    };
    const after = this.pageTokens.decode(query.pageToken, boundTo, isEntryPosition);
    const rows = await this.repository.list(filter, after, limit + 1);
    const entries = rows.slice(0, limit);
    const last = entries[entries.length - 1];
    const nextPageToken =
      rows.length > limit && last
        ? this.pageTokens.encode({ at: last.interceptedAt.getTime(), id: last.id }, boundTo)
        : '';
    return { entries, nextPageToken };
  }

  private checkedViewer(viewer: Viewer): Viewer {
    return viewer.asOperator
      ? { asOperator: true, accountId: optionalText(viewer.accountId, 'account_id', 128) }
      : { asOperator: false, accountId: requireId(viewer.accountId, 'account_id') };
  }

  private async visibleEntry(viewer: Viewer, entryIdInput: string): Promise<BlockEntry> {
    const checked = this.checkedViewer(viewer);
    const entryId = requireUuid(entryIdInput, 'entry_id');
    const entry = await this.repository.findById(entryId);
    if (!entry || accessOf(entry, checked) === 'hidden') throw new EntryNotFoundError(entryId);
    return entry;
  }
}

/** What another customer may know about a GLOBAL entry: that it exists and why, not whose it is. */
function redacted(entry: BlockEntry): BlockEntry {
  return {
    ...entry,
    ownerAccountId: null,
    messageId: '',
    detail: '',
    createdBy: '',
    deletedBy: null,
  };
}
