import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { interceptionV1, toTimestamp } from '@sms/contracts';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { INTERCEPTION_CLIENT, type InterceptionClient } from '../backends/backend-clients';
import { EXPORT_PAGE_SIZE, streamCsv } from '../transport/csv';
import {
  ApiCsvResponse,
  ApiErrors,
  ApiJsonBody,
  ApiJsonResponse,
  ApiPathParam,
  ApiQueryFrom,
  pageOf,
} from '../transport/openapi';
import type { Page } from '../transport/page';
import { idParam } from '../transport/request-fields';
import { RetentionWindowPipe, ZodValidationPipe } from '../transport/request-validation';
import { EntryNotFoundError, EntryOwnedByOtherError } from './block-list.errors';
import {
  addEntryBody,
  checkQueryShape,
  exportEntriesQuery,
  exportEntriesQueryShape,
  listEntriesQuery,
  listEntriesQueryShape,
  toListEntriesRequest,
  type AddEntryBody,
  type CheckQuery,
  type ExportEntriesQuery,
  type ListEntriesQuery,
} from './block-list.query';
import {
  checkJson,
  entryJson,
  toCheckJson,
  toEntryJson,
  type CheckJson,
  type EntryJson,
} from './entry.json';

const entryIdPipe = new ZodValidationPipe(idParam(), 'path', 'entryId');

/** The customer's view of the block list: its own entries, checks as the sender sees them. */
@ApiTags('block-list')
@Authenticated('customer')
@Controller('v1/block-list')
export class BlockListHttpController {
  constructor(@Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient) {}

  @Get()
  @ApiOperation({ summary: 'List the block-list entries owned by your account' })
  @ApiQueryFrom(listEntriesQueryShape)
  @ApiJsonResponse(200, pageOf(entryJson), 'A page of entries.')
  @ApiErrors()
  async list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(listEntriesQuery, 'query'), RetentionWindowPipe)
    query: ListEntriesQuery,
  ): Promise<Page<EntryJson>> {
    const response = await this.interception.listEntries(
      toListEntriesRequest({ accountId: caller.accountId, asOperator: false }, query),
    );
    return {
      data: response.entries.map((entry) => toEntryJson(entry, caller.accountId)),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Get('export')
  @ApiOperation({ summary: 'Download the block-list entries owned by your account as CSV' })
  @ApiQueryFrom(exportEntriesQueryShape)
  @ApiCsvResponse('One row per entry, the columns of GET /v1/block-list.')
  @ApiErrors()
  async export(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(exportEntriesQuery, 'query'), RetentionWindowPipe)
    query: ExportEntriesQuery,
    @Res() response: Response,
  ): Promise<void> {
    await streamCsv(response, {
      name: 'block-list',
      columns: Object.keys(entryJson.shape) as Extract<keyof EntryJson, string>[],
      unguarded: ['phone'],
      page: async (pageToken) => {
        const page = await this.interception.listEntries(
          toListEntriesRequest(
            { accountId: caller.accountId, asOperator: false },
            { ...query, pageSize: EXPORT_PAGE_SIZE, pageToken: pageToken || undefined },
          ),
        );
        return {
          rows: page.entries.map((entry) => toEntryJson(entry, caller.accountId)),
          nextPageToken: page.nextPageToken,
        };
      },
    });
  }

  @Get('check')
  @ApiOperation({
    summary: 'Check a number as the sending service would for your account now',
    description:
      "Verdict and blocking entry. An entry caused by another customer is shown without that customer's identity.",
  })
  @ApiQueryFrom(checkQueryShape)
  @ApiJsonResponse(200, checkJson, 'The verdict.')
  @ApiErrors()
  async check(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(checkQueryShape, 'query')) query: CheckQuery,
  ): Promise<CheckJson> {
    const response = await this.interception.check({
      accountId: caller.accountId,
      phone: query.phone,
    });
    return toCheckJson(response, caller.accountId);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a manual local entry: blocks the number for your account only' })
  @ApiJsonBody(addEntryBody)
  @ApiJsonResponse(201, entryJson, 'The new (or renewed) entry.')
  @ApiErrors(409, 413)
  async add(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(addEntryBody, 'body')) body: AddEntryBody,
  ): Promise<EntryJson> {
    const response = await this.interception.addEntry({
      accountId: caller.accountId,
      asOperator: false,
      phone: body.phone,
      scope: interceptionV1.Scope.SCOPE_LOCAL,
      reason: body.reasonText ?? '',
      expiresAt: body.expiresAt ? toTimestamp(body.expiresAt) : undefined,
      actor: caller.keyId,
    });
    if (!response.entry) throw new Error('AddEntry answered without an entry');
    return toEntryJson(response.entry, caller.accountId);
  }

  @Get(':entryId')
  @ApiOperation({ summary: 'One block-list entry visible to your account' })
  @ApiPathParam('entryId', 'The entry id.')
  @ApiJsonResponse(200, entryJson, 'The entry.')
  @ApiErrors(404)
  async get(
    @CurrentCaller() caller: Caller,
    @Param('entryId', entryIdPipe) entryId: string,
  ): Promise<EntryJson> {
    const response = await this.interception.getEntry({
      accountId: caller.accountId,
      asOperator: false,
      entryId,
    });
    const entry = response.entry;
    // Another customer's LOCAL entry is none of this caller's business, whatever the back end says.
    if (
      !entry ||
      (entry.scope !== interceptionV1.Scope.SCOPE_GLOBAL &&
        entry.ownerAccountId !== caller.accountId)
    ) {
      throw new EntryNotFoundError(entryId);
    }
    return toEntryJson(entry, caller.accountId);
  }

  @Delete(':entryId')
  @ApiOperation({
    summary: 'Delete an entry your account owns',
    description: 'An entry owned by someone else answers 403: contact customer service.',
  })
  @ApiPathParam('entryId', 'The entry id.')
  @ApiJsonResponse(200, entryJson, 'The entry, now deleted (kept in history).')
  @ApiErrors(404, 409)
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('entryId', entryIdPipe) entryId: string,
  ): Promise<EntryJson> {
    const response = await this.interception
      .deleteEntry({ accountId: caller.accountId, asOperator: false, entryId, actor: caller.keyId })
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code === GrpcStatus.PERMISSION_DENIED) {
          throw new EntryOwnedByOtherError(entryId);
        }
        throw error;
      });
    if (!response.entry) throw new EntryNotFoundError(entryId);
    return toEntryJson(response.entry, caller.accountId);
  }
}
