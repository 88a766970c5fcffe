import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Authenticated } from '../auth/api-key.guard';
import { STATUS_CLIENT, type StatusClient } from '../backends/backend-clients';
import { checkMessageFilters } from '../messages/messages.query';
import { ApiErrors, ApiJsonResponse, ApiQueryFrom } from '../transport/openapi';
import { shortTextField } from '../transport/request-fields';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import { messageStatsJson, toStatsBucketJson, type MessageStatsJson } from './stats.json';
import { messageStatsQueryShape, toMessageStatsRequest } from './stats.query';

export const adminMessageStatsQueryShape = messageStatsQueryShape.extend({
  accountId: shortTextField().meta({ description: 'The account whose messages are counted.' }),
});
const adminMessageStatsQuery = adminMessageStatsQueryShape.superRefine(checkMessageFilters);
type AdminMessageStatsQuery = z.output<typeof adminMessageStatsQuery>;

/** An operator's view of one account's statistics (the console's overview for a picked account). */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/stats')
export class AdminStatsHttpController {
  constructor(@Inject(STATUS_CLIENT) private readonly status: StatusClient) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Delivery statistics of one account per UTC day or hour (operators)',
    description: 'GET /v1/stats/messages for the account named by accountId.',
  })
  @ApiQueryFrom(adminMessageStatsQueryShape)
  @ApiJsonResponse(200, messageStatsJson, 'Buckets and the total of the period.')
  @ApiErrors()
  async messages(
    @Query(new ZodValidationPipe(adminMessageStatsQuery, 'query'), RetentionWindowPipe)
    query: AdminMessageStatsQuery,
  ): Promise<MessageStatsJson> {
    const response = await this.status.getMessageStats(
      toMessageStatsRequest(query.accountId, query),
    );
    if (!response.total) throw new Error('GetMessageStats answered without a total');
    return {
      groupBy: query.groupBy ?? 'day',
      buckets: response.buckets.map(toStatsBucketJson),
      total: toStatsBucketJson(response.total),
    };
  }
}
