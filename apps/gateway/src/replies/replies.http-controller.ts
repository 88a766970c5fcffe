import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { REPLY_CLIENT, type ReplyClient } from '../backends/backend-clients';
import { EXPORT_PAGE_SIZE, streamCsv } from '../transport/csv';
import {
  ApiCsvResponse,
  ApiErrors,
  ApiJsonResponse,
  ApiQueryFrom,
  pageOf,
} from '../transport/openapi';
import type { Page } from '../transport/page';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import {
  adminListRepliesQuery,
  adminListRepliesQueryShape,
  exportRepliesQuery,
  exportRepliesQueryShape,
  listRepliesQuery,
  listRepliesQueryShape,
  toListRepliesRequest,
  type AdminListRepliesQuery,
  type ExportRepliesQuery,
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

  @Get('export')
  @ApiOperation({ summary: 'Download the replies to your messages as CSV, newest first' })
  @ApiQueryFrom(exportRepliesQueryShape)
  @ApiCsvResponse('One row per reply, the columns of GET /v1/replies.')
  @ApiErrors()
  async export(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(exportRepliesQuery, 'query'), RetentionWindowPipe)
    query: ExportRepliesQuery,
    @Res() response: Response,
  ): Promise<void> {
    await streamCsv(response, {
      name: 'replies',
      columns: Object.keys(replyJson.shape) as Extract<keyof ReplyJson, string>[],
      unguarded: ['phone'],
      page: async (pageToken) => {
        const page = await this.replies.listReplies(
          toListRepliesRequest(
            { accountId: caller.accountId, asOperator: false },
            { ...query, pageSize: EXPORT_PAGE_SIZE, pageToken: pageToken || undefined },
          ),
        );
        return { rows: page.replies.map(toReplyJson), nextPageToken: page.nextPageToken };
      },
    });
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
