import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Authenticated } from '../auth/api-key.guard';
import {
  INTERCEPTION_CLIENT,
  REPLY_CLIENT,
  STATUS_CLIENT,
  type InterceptionClient,
  type ReplyClient,
  type StatusClient,
} from '../backends/backend-clients';
import {
  ApiErrors,
  ApiJsonResponse,
  ApiPathParam,
  ApiQueryFrom,
  pageOf,
} from '../transport/openapi';
import type { Page } from '../transport/page';
import { idParam, shortTextField } from '../transport/request-fields';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import { messageJson, toMessageJson, toMessageWithLogJson, type MessageJson } from './message.json';
import { messageDetailJson, readMessageLinks, type MessageDetailJson } from './message-links';
import { MessageNotFoundError } from './messages.errors';
import {
  checkMessageFilters,
  listMessagesQueryShape,
  toListMessagesRequest,
} from './messages.query';

export const adminListMessagesQueryShape = listMessagesQueryShape.extend({
  accountId: shortTextField()
    .optional()
    .meta({ description: 'Messages of this account; every account when absent.' }),
});
const adminListMessagesQuery = adminListMessagesQueryShape.superRefine(checkMessageFilters);
type AdminListMessagesQuery = z.output<typeof adminListMessagesQuery>;

/** Customer service: find any message, of any account, by every filter or by id. */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/messages')
export class AdminMessagesHttpController {
  constructor(
    @Inject(STATUS_CLIENT) private readonly status: StatusClient,
    @Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient,
    @Inject(REPLY_CLIENT) private readonly replies: ReplyClient,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search messages of any account (operators), newest request first',
    description: 'Every filter of GET /v1/messages, plus accountId.',
  })
  @ApiQueryFrom(adminListMessagesQueryShape)
  @ApiJsonResponse(200, pageOf(messageJson), 'A page of messages (without send logs).')
  @ApiErrors()
  async list(
    @Query(new ZodValidationPipe(adminListMessagesQuery, 'query'), RetentionWindowPipe)
    query: AdminListMessagesQuery,
  ): Promise<Page<MessageJson>> {
    const response = await this.status.operatorSearchMessages({
      query: toListMessagesRequest(query.accountId ?? '', query),
    });
    return {
      data: response.messages.map(toMessageJson),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Get(':messageId')
  @ApiOperation({
    summary: 'Any message by id with its whole send log and linked records (operators)',
    description:
      'Also names the block-list entry its send failure created or renewed (whatever its owner) and the replies attributed to it.',
  })
  @ApiPathParam('messageId', 'The message id given by the sending service.')
  @ApiJsonResponse(
    200,
    messageDetailJson,
    'The message with its send log, block-list entry and replies.',
  )
  @ApiErrors(404)
  async get(
    @Param('messageId', new ZodValidationPipe(idParam(), 'path', 'messageId'))
    messageId: string,
  ): Promise<MessageDetailJson> {
    const response = await this.status.operatorGetMessage({ messageId });
    if (!response.message) throw new MessageNotFoundError(messageId);
    const links = await readMessageLinks(
      { interception: this.interception, replies: this.replies },
      response.message,
      null,
    );
    return { ...toMessageWithLogJson(response.message), ...links };
  }
}
