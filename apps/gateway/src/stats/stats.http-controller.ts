import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { STATUS_CLIENT, type StatusClient } from '../backends/backend-clients';
import { ApiErrors, ApiJsonResponse, ApiQueryFrom } from '../transport/openapi';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import { messageStatsJson, toStatsBucketJson, type MessageStatsJson } from './stats.json';
import {
  messageStatsQuery,
  messageStatsQueryShape,
  toMessageStatsRequest,
  type MessageStatsQuery,
} from './stats.query';

@ApiTags('statistics')
@Authenticated('customer')
@Controller('v1/stats')
export class StatsHttpController {
  constructor(@Inject(STATUS_CLIENT) private readonly status: StatusClient) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Delivery statistics of your account per UTC day or hour',
    description:
      'Counts by status, process-failed reason and send-failure code, entries and delivery rate, of exactly the messages GET /v1/messages lists with the same filters (request period defaults to the whole retention window).',
  })
  @ApiQueryFrom(messageStatsQueryShape)
  @ApiJsonResponse(200, messageStatsJson, 'Buckets and the total of the period.')
  @ApiErrors()
  async messages(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(messageStatsQuery, 'query'), RetentionWindowPipe)
    query: MessageStatsQuery,
  ): Promise<MessageStatsJson> {
    const response = await this.status.getMessageStats(
      toMessageStatsRequest(caller.accountId, query),
    );
    if (!response.total) throw new Error('GetMessageStats answered without a total');
    return {
      groupBy: query.groupBy ?? 'day',
      buckets: response.buckets.map(toStatsBucketJson),
      total: toStatsBucketJson(response.total),
    };
  }
}
