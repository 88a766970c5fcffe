import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { toTimestamp, type statusV1 } from '@sms/contracts';
import { ReplyMetrics } from '../replies/replies.metrics';
import {
  latestLookupFor,
  latestLookupKey,
  messageByIdKey,
  pendingAttribution,
  resolveAttribution,
  type AnsweredMessage,
  type Attribution,
  type AttributionCandidate,
  type LatestLookup,
} from './attribution-plan';
import { STATUS_CLIENT, type StatusClient } from './status.client';

/** The contract's FindLatestMessage limit. */
export const MAX_LOOKUPS_PER_CALL = 1000;

/**
 * Ties replies to the messages they answer, asking status-tracker as few times as possible:
 * ONE GetMessages for every named (account, message) pair, then ONE FindLatestMessage for
 * every other reply of the batch. When status-tracker cannot answer, the affected replies come
 * back PENDING (stored, attributed later by the retry job), never lost and never failed.
 */
@Injectable()
export class AttributionService implements OnApplicationShutdown {
  private readonly logger = new Logger(AttributionService.name);

  constructor(
    @Inject(STATUS_CLIENT) private readonly status: StatusClient,
    private readonly metrics: ReplyMetrics,
  ) {}

  onApplicationShutdown(): void {
    this.status.close();
  }

  async attribute(candidates: readonly AttributionCandidate[]): Promise<Attribution[]> {
    if (candidates.length > MAX_LOOKUPS_PER_CALL) {
      throw new Error(`at most ${MAX_LOOKUPS_PER_CALL} replies are attributed at once`);
    }
    const byId = await this.messagesById(candidates);

    const lookups: LatestLookup[] = [];
    const lookupIndex = new Map<string, number>();
    const candidateLookup: (number | 'pending' | undefined)[] = candidates.map((candidate) => {
      const key = messageByIdKey(candidate);
      if (key !== undefined && byId.get(key) === 'unavailable') return 'pending';
      const named = key === undefined ? undefined : (byId.get(key) as AnsweredMessage | null);
      const lookup = latestLookupFor(candidate, named);
      if (!lookup) return undefined;
      const lookupKey = latestLookupKey(lookup);
      let index = lookupIndex.get(lookupKey);
      if (index === undefined) {
        index = lookups.push(lookup) - 1;
        lookupIndex.set(lookupKey, index);
      }
      return index;
    });
    const latest = await this.findLatest(lookups);

    return candidates.map((candidate, position) => {
      const lookup = candidateLookup[position];
      if (lookup === 'pending' || (lookup !== undefined && latest === 'unavailable')) {
        return pendingAttribution(candidate);
      }
      const key = messageByIdKey(candidate);
      const named = key === undefined ? undefined : (byId.get(key) as AnsweredMessage | null);
      const found = lookup === undefined || latest === 'unavailable' ? null : latest[lookup];
      return resolveAttribution(candidate, named, found ?? null);
    });
  }

  private async messagesById(
    candidates: readonly AttributionCandidate[],
  ): Promise<Map<string, AnsweredMessage | null | 'unavailable'>> {
    const pairs = new Map<string, { accountId: string; messageId: string }>();
    for (const candidate of candidates) {
      const key = messageByIdKey(candidate);
      if (key !== undefined && candidate.channelAccountId && candidate.channelMessageId) {
        pairs.set(key, {
          accountId: candidate.channelAccountId,
          messageId: candidate.channelMessageId,
        });
      }
    }
    const results = new Map<string, AnsweredMessage | null | 'unavailable'>();
    if (pairs.size === 0) return results;
    const keys = [...pairs.keys()];
    try {
      const response = await this.status.getMessages({ refs: [...pairs.values()] });
      this.metrics.statusLookups.inc({ method: 'GetMessages', outcome: 'ok' });
      for (const key of keys) results.set(key, null);
      for (const match of response.matches) {
        const key = keys[match.index];
        if (key !== undefined && match.found && match.message) {
          results.set(key, answered(match.message));
        }
      }
    } catch (error) {
      this.metrics.statusLookups.inc({ method: 'GetMessages', outcome: 'unavailable' });
      this.logger.warn(`GetMessages failed (${describe(error)}); attribution pending`);
      for (const key of keys) results.set(key, 'unavailable');
    }
    return results;
  }

  private async findLatest(
    lookups: readonly LatestLookup[],
  ): Promise<(AnsweredMessage | null)[] | 'unavailable'> {
    if (lookups.length === 0) return [];
    try {
      const response = await this.status.findLatestMessage({
        lookups: lookups.map((lookup) => ({
          phone: lookup.phone,
          accountId: lookup.accountId,
          at: toTimestamp(lookup.at),
          messageId: lookup.messageId,
        })),
      });
      this.metrics.statusLookups.inc({ method: 'FindLatestMessage', outcome: 'ok' });
      const found: (AnsweredMessage | null)[] = lookups.map(() => null);
      for (const match of response.matches) {
        if (match.found && match.message && match.index < found.length) {
          found[match.index] = answered(match.message);
        }
      }
      return found;
    } catch (error) {
      this.metrics.statusLookups.inc({ method: 'FindLatestMessage', outcome: 'unavailable' });
      this.logger.warn(`FindLatestMessage failed (${describe(error)}); attribution pending`);
      return 'unavailable';
    }
  }
}

function answered(message: statusV1.Message): AnsweredMessage {
  return {
    messageId: message.messageId,
    accountId: message.accountId,
    recipient: message.recipient,
    templateId: message.templateId,
    labels: message.labels ?? [],
    smsUser: message.smsUser,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
