import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { REPLY_CLIENT, type ReplyClient } from '../backends/backend-clients';
import { ApiErrors, ApiJsonResponse, ApiQueryFrom, pageOf } from '../transport/openapi';
import type { Page } from '../transport/page';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import {
  adminListRepliesQuery,
  adminListRepliesQueryShape,
  listRepliesQuery,
  listRepliesQueryShape,
  toListRepliesRequest,
  type AdminListRepliesQuery,
  type ListRepliesQuery,
} from './replies.query';
import { replyJson, toReplyJson, type ReplyJson } from './reply.json';

@ApiTags('replies')
@Authenticated('customer')
@Controller('v1/replies')
export class RepliesHttpController {
  constructor(@Inject(REPLY_CLIENT) private readonly replies: ReplyClient) {}

  @Get()
  @ApiOperation({ summary: 'List replies to your messages, newest first' })
  @ApiQueryFrom(listRepliesQueryShape)
  @ApiJsonResponse(200, pageOf(replyJson), 'A page of replies.')
  @ApiErrors()
  async list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(listRepliesQuery, 'query'), RetentionWindowPipe)
    query: ListRepliesQuery,
  ): Promise<Page<ReplyJson>> {
    const response = await this.replies.listReplies(
      toListRepliesRequest({ accountId: caller.accountId, asOperator: false }, query),
    );
    return {
      data: response.replies.map(toReplyJson),
      nextPageToken: response.nextPageToken || null,
    };
  }
}

@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/replies')
export class AdminRepliesHttpController {
  constructor(@Inject(REPLY_CLIENT) private readonly replies: ReplyClient) {}

  @Get()
  @ApiOperation({
    summary: 'Unattributed replies (unattributed=true) or the replies of one account',
  })
  @ApiQueryFrom(adminListRepliesQueryShape)
  @ApiJsonResponse(200, pageOf(replyJson), 'A page of replies.')
  @ApiErrors()
  async list(
    @Query(new ZodValidationPipe(adminListRepliesQuery, 'query'), RetentionWindowPipe)
    query: AdminListRepliesQuery,
  ): Promise<Page<ReplyJson>> {
    const response = await this.replies.listReplies(
      toListRepliesRequest({ accountId: query.accountId ?? '', asOperator: true }, query),
    );
    return {
      data: response.replies.map(toReplyJson),
      nextPageToken: response.nextPageToken || null,
    };
  }
}
