import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { toTimestamp, type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
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

/** GetMessage answers meaning "no such message for this account", not "status-tracker is down". */
const NOT_FOUND_CODES = new Set<number>([
  GrpcStatus.NOT_FOUND,
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.PERMISSION_DENIED,
]);
/** Parallel GetMessage calls for replies naming account + message. */
const GET_MESSAGE_CONCURRENCY = 8;
/** The contract's FindLatestMessage limit. */
export const MAX_LOOKUPS_PER_CALL = 1000;

/**
 * Ties replies to the messages they answer, asking status-tracker as few times as possible:
 * one deduplicated GetMessage per named (account, message) pair, then ONE FindLatestMessage for
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
    const queue = [...pairs];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, pair] = next;
        try {
          const response = await this.status.getMessage(pair);
          this.metrics.statusLookups.inc({ method: 'GetMessage', outcome: 'ok' });
          results.set(key, response.message ? answered(response.message) : null);
        } catch (error) {
          const code = (error as { code?: number }).code ?? -1;
          if (NOT_FOUND_CODES.has(code)) {
            this.metrics.statusLookups.inc({ method: 'GetMessage', outcome: 'not_found' });
            results.set(key, null);
          } else {
            this.metrics.statusLookups.inc({ method: 'GetMessage', outcome: 'unavailable' });
            this.logger.warn(`GetMessage failed (${describe(error)}); attribution pending`);
            results.set(key, 'unavailable');
          }
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(GET_MESSAGE_CONCURRENCY, queue.length) }, worker),
    );
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
