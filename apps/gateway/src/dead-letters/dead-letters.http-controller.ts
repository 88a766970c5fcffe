import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import {
  INTERCEPTION_CLIENT,
  REPLY_CLIENT,
  STATUS_CLIENT,
  type InterceptionClient,
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
    @Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Hand-overs refused for good (block list, webhook-dispatcher), newest first',
  })
  @ApiQueryFrom(listDeadLettersQuery)
  @ApiJsonResponse(200, pageOf(deadLetterJson), 'A page of dead letters.')
  @ApiErrors()
  async list(
    @Query(new ZodValidationPipe(listDeadLettersQuery, 'query')) query: ListDeadLettersQuery,
  ): Promise<Page<DeadLetterJson>> {
    const page = { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? '' };
    const webhookEvents = { ...page, kind: 'webhook_event' };
    const response = await {
      'send-failures': () => this.status.listDeadLetters({ ...page, kind: '' }),
      'keyword-effects': () => this.reply.listDeadLetters({ ...page, kind: '' }),
      'message-status-events': () => this.status.listDeadLetters(webhookEvents),
      'reply-events': () => this.reply.listDeadLetters(webhookEvents),
      'block-list-events': () => this.interception.listDeadLetters(page),
    }[query.source]();
    return {
      data: response.deadLetters.map(toDeadLetterJson),
      nextPageToken: response.nextPageToken || null,
    };
  }
}
