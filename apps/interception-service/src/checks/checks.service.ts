import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BlockEntry } from '../block-list/block-entry.entity';
import { BlockListRepository } from '../block-list/block-list.repository';
import { INTERCEPTION_CONFIG, type InterceptionConfig } from '../config';
import { withDeadline } from '@sms/platform-deadline';
import { BlockIndex } from '../hot-index/block-index';
import {
  decodeEntry,
  decodeUnsubscribe,
  entryBlocksUntil,
  unsubscribeActive,
} from '../hot-index/index-codec';
import { IndexRebuilder } from '../hot-index/index-rebuilder';
import { IndexTrust } from '../hot-index/index-trust';
import { InterceptionMetrics } from '../observability/interception.metrics';
import { requireId } from '../request-fields';
import type { UnsubscribeRecord } from '../unsubscribes/unsubscribe.entity';
import { UnsubscribesRepository } from '../unsubscribes/unsubscribes.repository';
import type { CheckedEntry, CheckedUnsubscribe, CheckedVerdict, CheckResult } from './check-result';
import { BlockListUnavailableError } from './checks.errors';
import { decideVerdict, type VerdictName } from './verdict';

/**
 * The send path (SPEC 3.2): one Redis round trip per call, exact at the boundary because the
 * index values carry expiresAt. The index is read only while this process trusts it (IndexTrust:
 * no PostgreSQL query per check) and only in the generation PostgreSQL named, checked in the same
 * round trip. Otherwise (Redis down, emptied, restarted, or an index write not yet repaired) the
 * answer comes from PostgreSQL by the active-slot indexes; without either the call fails
 * UNAVAILABLE. No ORM entity work here: it halves throughput.
 */
@Injectable()
export class ChecksService {
  private readonly logger = new Logger(ChecksService.name);

  constructor(
    private readonly index: BlockIndex,
    private readonly rebuilder: IndexRebuilder,
    private readonly trust: IndexTrust,
    private readonly entries: BlockListRepository,
    private readonly unsubscribes: UnsubscribesRepository,
    private readonly metrics: InterceptionMetrics,
    @Inject(INTERCEPTION_CONFIG) private readonly config: InterceptionConfig,
  ) {}

  /** `phone` is E.164 (normalised at the edge). */
  async check(accountIdInput: string, phone: string): Promise<CheckResult> {
    const startedAt = process.hrtime.bigint();
    const accountId = requireId(accountIdInput, 'account_id');
    const values = await this.readIndex((generation) =>
      this.index.read(generation, phone, accountId),
    );
    if (values) {
      const result = fromIndex(values[0], values[1], values[2], phone, accountId, Date.now());
      this.metrics.checked('check', 'redis', [result.verdict], startedAt);
      return result;
    }
    const [result] = await this.fromDatabase([phone], accountId);
    this.metrics.checked('check', 'postgres', [result.verdict], startedAt);
    return result;
  }

  /** `phones` are E.164, at most MAX_BATCH (checked at the edge, before normalising). */
  async checkBatch(accountIdInput: string, phones: readonly string[]): Promise<CheckResult[]> {
    const startedAt = process.hrtime.bigint();
    const accountId = requireId(accountIdInput, 'account_id');
    if (phones.length === 0) return [];
    const batch = await this.readIndex((generation) =>
      this.index.readBatch(generation, phones, accountId),
    );
    let results: CheckResult[];
    let from: 'redis' | 'postgres';
    if (batch) {
      const now = Date.now();
      results = new Array<CheckResult>(phones.length);
      for (let i = 0; i < phones.length; i += 1) {
        const at = 3 * i;
        results[i] = fromIndex(batch[at], batch[at + 1], batch[at + 2], phones[i], accountId, now);
      }
      from = 'redis';
    } else {
      results = await this.fromDatabase(phones, accountId);
      from = 'postgres';
    }
    this.metrics.checked(
      'check_batch',
      from,
      results.map((result) => result.verdict),
      startedAt,
    );
    return results;
  }

  /**
   * `checkBatch` for a caller that builds its answer itself (the hand-encoded CheckBatch
   * response, no result object per number): `fromIndex` gets the index's values, three per
   * number as BlockIndex.readBatch returns them, and sets each number's verdict in `verdicts`;
   * `fromResults` gets PostgreSQL's results when the index cannot be used.
   */
  async checkBatchAnswer<T>(
    accountIdInput: string,
    phones: readonly string[],
    answer: BatchAnswer<T>,
  ): Promise<T> {
    const startedAt = process.hrtime.bigint();
    const accountId = requireId(accountIdInput, 'account_id');
    if (phones.length === 0) return answer.fromResults([]);
    const batch = await this.readIndex((generation) =>
      this.index.readBatch(generation, phones, accountId),
    );
    if (!batch) {
      const results = await this.fromDatabase(phones, accountId);
      this.metrics.checked(
        'check_batch',
        'postgres',
        results.map((result) => result.verdict),
        startedAt,
      );
      return answer.fromResults(results);
    }
    const verdicts = new Array<VerdictName>(phones.length);
    const answered = answer.fromIndex(batch, accountId, Date.now(), verdicts);
    this.metrics.checked('check_batch', 'redis', verdicts, startedAt);
    return answered;
  }

  /**
   * `checkBatch`'s verdicts without the entries behind them: from the index, each value is only
   * scanned for whether and until when it blocks (no JSON decoding).
   */
  async checkBatchVerdicts(
    accountIdInput: string,
    phones: readonly string[],
  ): Promise<CheckedVerdict[]> {
    return this.checkBatchAnswer<CheckedVerdict[]>(accountIdInput, phones, {
      fromIndex: (batch, _accountId, now, names) => {
        const verdicts = new Array<CheckedVerdict>(phones.length);
        for (let i = 0; i < phones.length; i += 1) {
          const at = 3 * i;
          const verdict = verdictFromIndex(batch[at], batch[at + 1], batch[at + 2], now);
          verdicts[i] = { phone: phones[i], verdict };
          names[i] = verdict;
        }
        return verdicts;
      },
      fromResults: (results) => [...results],
    });
  }

  /** The index's answer, or null: not trusted (known or possibly stale), or Redis unavailable. */
  private async readIndex<T>(read: (generation: string) => Promise<T | null>): Promise<T | null> {
    const generation = this.trust.generation;
    if (generation === null) {
      this.rebuilder.indexLost();
      return null;
    }
    try {
      const values = await read(generation);
      if (values === null) {
        // Redis holds another generation (flushed, restarted, or rebuilt by another replica).
        this.trust.distrust();
        this.rebuilder.indexLost();
      }
      return values;
    } catch (error) {
      this.logger.debug(`Redis index unavailable, answering from PostgreSQL: ${String(error)}`);
      return null;
    }
  }

  private async fromDatabase(phones: readonly string[], accountId: string): Promise<CheckResult[]> {
    const now = new Date();
    let blocking: BlockEntry[];
    let unsubscribed: UnsubscribeRecord[];
    try {
      [blocking, unsubscribed] = await withDeadline(
        Promise.all([
          this.entries.findBlocking(phones, accountId, now),
          this.unsubscribes.findActive(accountId, phones),
        ]),
        this.config.CHECK_DATABASE_TIMEOUT_MS,
        'PostgreSQL check',
      );
    } catch (error) {
      this.logger.error(`check failed: Redis and PostgreSQL unavailable: ${String(error)}`);
      throw new BlockListUnavailableError();
    }
    const global = new Map<string, CheckedEntry>();
    const local = new Map<string, CheckedEntry>();
    for (const entry of blocking) {
      (entry.scope === 'GLOBAL' ? global : local).set(entry.phone, toCheckedEntry(entry));
    }
    const unsubscribes = new Map<string, CheckedUnsubscribe>();
    for (const record of unsubscribed) unsubscribes.set(record.phone, toCheckedUnsubscribe(record));
    const nowMs = now.getTime();
    return phones.map((phone) => ({
      phone,
      ...decideVerdict(
        {
          global: global.get(phone) ?? null,
          local: local.get(phone) ?? null,
          unsubscribe: unsubscribes.get(phone) ?? null,
        },
        nowMs,
      ),
    }));
  }
}

/** See ChecksService.checkBatchAnswer. */
export interface BatchAnswer<T> {
  fromIndex(
    values: readonly (string | null)[],
    accountId: string,
    nowMs: number,
    verdicts: VerdictName[],
  ): T;
  fromResults(results: readonly CheckResult[]): T;
}

/** The index values of one number (global, local, unsubscribe) decided; only what is needed decoded. */
function fromIndex(
  global: string | null,
  local: string | null,
  unsubscribe: string | null,
  phone: string,
  accountId: string,
  nowMs: number,
): CheckResult {
  if (global === null && local === null && unsubscribe === null) {
    return { phone, verdict: 'ALLOW', entry: null, unsubscribe: null };
  }
  const decision = decideVerdict(
    {
      global: decodeEntry(global, phone, 'GLOBAL'),
      local: decodeEntry(local, phone, 'LOCAL'),
      unsubscribe: decodeUnsubscribe(unsubscribe, phone, accountId),
    },
    nowMs,
  );
  return {
    phone,
    verdict: decision.verdict,
    entry: decision.entry,
    unsubscribe: decision.unsubscribe,
  };
}

const BLOCKS_UNTIL = (expiresAtMs: number) => ({
  expiresAtMs: expiresAtMs === Number.POSITIVE_INFINITY ? null : expiresAtMs,
});

/** `fromIndex`'s verdict, the values scanned rather than decoded. */
function verdictFromIndex(
  global: string | null,
  local: string | null,
  unsubscribe: string | null,
  nowMs: number,
): VerdictName {
  if (global === null && local === null && unsubscribe === null) return 'ALLOW';
  const globalUntil = entryBlocksUntil(global);
  const localUntil = entryBlocksUntil(local);
  return decideVerdict(
    {
      global: globalUntil === null ? null : BLOCKS_UNTIL(globalUntil),
      local: localUntil === null ? null : BLOCKS_UNTIL(localUntil),
      unsubscribe: unsubscribeActive(unsubscribe) ? true : null,
    },
    nowMs,
  ).verdict;
}

function toCheckedEntry(entry: BlockEntry): CheckedEntry {
  return {
    entryId: entry.id,
    phone: entry.phone,
    scope: entry.scope,
    ownerAccountId: entry.ownerAccountId,
    source: entry.source,
    sendFailureCode: entry.sendFailureCode,
    reason: entry.reason,
    detail: entry.detail,
    messageId: entry.messageId,
    interceptedAtMs: entry.interceptedAt.getTime(),
    expiresAtMs: entry.expiresAt ? entry.expiresAt.getTime() : null,
    createdAtMs: entry.createdAt.getTime(),
    updatedAtMs: entry.updatedAt.getTime(),
  };
}

function toCheckedUnsubscribe(record: UnsubscribeRecord): CheckedUnsubscribe {
  return {
    accountId: record.accountId,
    phone: record.phone,
    sinceMs: record.since.getTime(),
    source: record.source,
    replyId: record.replyId,
  };
}
