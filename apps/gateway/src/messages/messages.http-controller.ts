import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { STATUS_CLIENT, type StatusClient } from '../backends/backend-clients';
import {
  ApiErrors,
  ApiJsonResponse,
  ApiPathParam,
  ApiQueryFrom,
  pageOf,
} from '../transport/openapi';
import { idParam } from '../transport/request-fields';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import {
  messageJson,
  messageWithLogJson,
  toMessageJson,
  toMessageWithLogJson,
  type MessageJson,
  type MessageWithLogJson,
} from './message.json';
import {
  listMessagesQuery,
  listMessagesQueryShape,
  toListMessagesRequest,
  type ListMessagesQuery,
} from './messages.query';
import type { Page } from '../transport/page';
import { MessageNotFoundError } from './messages.errors';

@ApiTags('messages')
@Authenticated('customer')
@Controller('v1/messages')
export class MessagesHttpController {
  constructor(@Inject(STATUS_CLIENT) private readonly status: StatusClient) {}

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

  @Get(':messageId')
  @ApiOperation({ summary: 'One message of your account with its whole send log' })
  @ApiPathParam('messageId', 'The message id given by the sending service.')
  @ApiJsonResponse(200, messageWithLogJson, 'The message with its send log.')
  @ApiErrors(404)
  async get(
    @CurrentCaller() caller: Caller,
    @Param('messageId', new ZodValidationPipe(idParam(), 'path', 'messageId'))
    messageId: string,
  ): Promise<MessageWithLogJson> {
    const response = await this.status.getMessage({ accountId: caller.accountId, messageId });
    // The back end scopes by account; checking again costs nothing and guards tenancy.
    if (!response.message || response.message.accountId !== caller.accountId) {
      throw new MessageNotFoundError(messageId);
    }
    return toMessageWithLogJson(response.message);
  }
}
