import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import {
  REPLY_CLIENT,
  STATUS_CLIENT,
  type ReplyClient,
  type StatusClient,
} from '../backends/backend-clients';
import { ApiErrors, ApiJsonResponse, ApiQueryFrom, pageOf } from '../transport/openapi';
import type { Page } from '../transport/page';
import { ZodValidationPipe } from '../transport/request-validation';
import { deadLetterJson, toDeadLetterJson, type DeadLetterJson } from './dead-letter.json';
import { listDeadLettersQuery, type ListDeadLettersQuery } from './dead-letters.query';

/**
 * Hand-overs between services that were refused for good (INVALID_ARGUMENT): never dropped,
 * listed here for operators (operator keys only), newest first.
 */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/dead-letters')
export class DeadLettersHttpController {
  constructor(
    @Inject(STATUS_CLIENT) private readonly status: StatusClient,
    @Inject(REPLY_CLIENT) private readonly reply: ReplyClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Hand-overs refused for good by the block list, newest first' })
  @ApiQueryFrom(listDeadLettersQuery)
  @ApiJsonResponse(200, pageOf(deadLetterJson), 'A page of dead letters.')
  @ApiErrors()
  async list(
    @Query(new ZodValidationPipe(listDeadLettersQuery, 'query')) query: ListDeadLettersQuery,
  ): Promise<Page<DeadLetterJson>> {
    const request = { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? '' };
    const response =
      query.source === 'send-failures'
        ? await this.status.listDeadLetters(request)
        : await this.reply.listDeadLetters(request);
    return {
      data: response.deadLetters.map(toDeadLetterJson),
      nextPageToken: response.nextPageToken || null,
    };
  }
}
