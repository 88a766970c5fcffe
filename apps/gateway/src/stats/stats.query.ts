import type { statusV1 } from '@sms/contracts';
import { z } from 'zod';
import {
  checkMessageFilters,
  listMessagesQueryShape,
  toListMessagesRequest,
} from '../messages/messages.query';
import { enumWordField } from '../transport/request-fields';

export const GROUP_BY_WORDS = ['day', 'hour'] as const;

/** Query parameters of GET /v1/stats/messages: the message list's filters, plus groupBy. */
export const messageStatsQueryShape = listMessagesQueryShape
  .omit({ pageSize: true, pageToken: true })
  .extend({
    groupBy: enumWordField(GROUP_BY_WORDS)
      .optional()
      .meta({ description: 'Bucket size: UTC day (default) or UTC hour.' }),
  });

export const messageStatsQuery = messageStatsQueryShape.superRefine(checkMessageFilters);

export type MessageStatsQuery = z.output<typeof messageStatsQuery>;

export function toMessageStatsRequest(
  accountId: string,
  query: MessageStatsQuery,
): statusV1.GetMessageStatsRequest {
  // The very filters of the list request, so statistics count what the list shows.
  const {
    pageSize: _pageSize,
    pageToken: _pageToken,
    ...filters
  } = toListMessagesRequest(accountId, query);
  return {
    ...filters,
    bucketSize: (query.groupBy === 'hour'
      ? 'STATS_BUCKET_SIZE_HOUR'
      : 'STATS_BUCKET_SIZE_DAY') as statusV1.StatsBucketSize,
  };
}
