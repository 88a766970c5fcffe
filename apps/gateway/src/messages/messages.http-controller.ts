import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import {
  INTERCEPTION_CLIENT,
  REPLY_CLIENT,
  STATUS_CLIENT,
  type InterceptionClient,
  type ReplyClient,
  type StatusClient,
} from '../backends/backend-clients';
import {
  ApiCsvResponse,
  ApiErrors,
  ApiJsonResponse,
  ApiPathParam,
  ApiQueryFrom,
  pageOf,
} from '../transport/openapi';
import { idParam } from '../transport/request-fields';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import { messageJson, toMessageJson, toMessageWithLogJson, type MessageJson } from './message.json';
import { messageDetailJson, readMessageLinks, type MessageDetailJson } from './message-links';
import { EXPORT_PAGE_SIZE, streamCsv } from '../transport/csv';
import {
  exportMessagesQuery,
  exportMessagesQueryShape,
  listMessagesQuery,
  listMessagesQueryShape,
  toListMessagesRequest,
  type ExportMessagesQuery,
  type ListMessagesQuery,
} from './messages.query';
import type { Page } from '../transport/page';
import { MessageNotFoundError } from './messages.errors';

const MESSAGE_CSV_COLUMNS = Object.keys(messageJson.shape) as Extract<keyof MessageJson, string>[];

@ApiTags('messages')
@Authenticated('customer')
@Controller('v1/messages')
export class MessagesHttpController {
  constructor(
    @Inject(STATUS_CLIENT) private readonly status: StatusClient,
    @Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient,
    @Inject(REPLY_CLIENT) private readonly replies: ReplyClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List messages of your account, newest request first' })
  @ApiQueryFrom(listMessagesQueryShape)
  @ApiJsonResponse(200, pageOf(messageJson), 'A page of messages (without send logs).')
  @ApiErrors()
  async list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(listMessagesQuery, 'query'), RetentionWindowPipe)
    query: ListMessagesQuery,
  ): Promise<Page<MessageJson>> {
    const response = await this.status.listMessages(toListMessagesRequest(caller.accountId, query));
    return {
      data: response.messages.map(toMessageJson),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Get('export')
  @ApiOperation({
    summary: 'Download every message matching the filters as CSV (the SMS Status columns)',
    description:
      'The whole filtered set over the retention window, newest first, streamed page by page (constant memory on both ends).',
  })
  @ApiQueryFrom(exportMessagesQueryShape)
  @ApiCsvResponse('One row per message, the columns of GET /v1/messages.')
  @ApiErrors()
  async export(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(exportMessagesQuery, 'query'), RetentionWindowPipe)
    query: ExportMessagesQuery,
    @Res() response: Response,
  ): Promise<void> {
    await streamCsv(response, {
      name: 'messages',
      columns: MESSAGE_CSV_COLUMNS,
      unguarded: ['recipient'],
      page: async (pageToken) => {
        const page = await this.status.listMessages(
          toListMessagesRequest(caller.accountId, {
            ...query,
            pageSize: EXPORT_PAGE_SIZE,
            pageToken: pageToken || undefined,
          }),
        );
        return { rows: page.messages.map(toMessageJson), nextPageToken: page.nextPageToken };
      },
    });
  }

  @Get(':messageId')
  @ApiOperation({
    summary: 'One message of your account with its whole send log and linked records',
    description:
      'Also names the block-list entry its send failure created (blockListEntry) and the replies attributed to it (replies).',
  })
  @ApiPathParam('messageId', 'The message id given by the sending service.')
  @ApiJsonResponse(
    200,
    messageDetailJson,
    'The message with its send log, block-list entry and replies.',
  )
  @ApiErrors(404)
  async get(
    @CurrentCaller() caller: Caller,
    @Param('messageId', new ZodValidationPipe(idParam(), 'path', 'messageId'))
    messageId: string,
  ): Promise<MessageDetailJson> {
    const response = await this.status.getMessage({ accountId: caller.accountId, messageId });
    // The back end scopes by account; checking again costs nothing and guards tenancy.
    if (!response.message || response.message.accountId !== caller.accountId) {
      throw new MessageNotFoundError(messageId);
    }
    // Only once the message is known to be the caller's: its links are looked up by its id.
    const links = await readMessageLinks(
      { interception: this.interception, replies: this.replies },
      response.message,
      caller.accountId,
    );
    return { ...toMessageWithLogJson(response.message), ...links };
  }
}
