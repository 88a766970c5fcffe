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
} from '@nestjs/common';
import { interceptionV1, toTimestamp } from '@sms/contracts';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { INTERCEPTION_CLIENT, type InterceptionClient } from '../backends/backend-clients';
import {
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
import { EntryNotFoundError } from './block-list.errors';
import {
  addEntryBody,
  adminListEntriesQuery,
  adminListEntriesQueryShape,
  toListEntriesRequest,
  type AddEntryBody,
  type AdminListEntriesQuery,
} from './block-list.query';
import { entryJson, toEntryJson, type EntryJson } from './entry.json';

const entryIdPipe = new ZodValidationPipe(idParam(), 'path', 'entryId');

/** Customer-service actions on every account's block list (operator keys only). */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/block-list')
export class AdminBlockListHttpController {
  constructor(@Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient) {}

  @Get()
  @ApiOperation({ summary: 'List block-list entries of every account (or of accountId)' })
  @ApiQueryFrom(adminListEntriesQueryShape)
  @ApiJsonResponse(200, pageOf(entryJson), 'A page of entries.')
  @ApiErrors()
  async list(
    @Query(new ZodValidationPipe(adminListEntriesQuery, 'query'), RetentionWindowPipe)
    query: AdminListEntriesQuery,
  ): Promise<Page<EntryJson>> {
    const response = await this.interception.listEntries(
      toListEntriesRequest({ accountId: query.accountId ?? '', asOperator: true }, query),
    );
    return {
      data: response.entries.map((entry) => toEntryJson(entry, null)),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a manual global entry: blocks the number for every account' })
  @ApiJsonBody(addEntryBody)
  @ApiJsonResponse(201, entryJson, 'The new (or renewed) entry.')
  @ApiErrors(409, 413)
  async add(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(addEntryBody, 'body')) body: AddEntryBody,
  ): Promise<EntryJson> {
    const response = await this.interception.addEntry({
      accountId: '',
      asOperator: true,
      phone: body.phone,
      scope: interceptionV1.Scope.SCOPE_GLOBAL,
      reason: body.reasonText ?? '',
      expiresAt: body.expiresAt ? toTimestamp(body.expiresAt) : undefined,
      actor: caller.keyId,
    });
    if (!response.entry) throw new Error('AddEntry answered without an entry');
    return toEntryJson(response.entry, null);
  }

  @Get(':entryId')
  @ApiOperation({ summary: 'One block-list entry of any account' })
  @ApiPathParam('entryId', 'The entry id.')
  @ApiJsonResponse(200, entryJson, 'The entry.')
  @ApiErrors(404)
  async get(@Param('entryId', entryIdPipe) entryId: string): Promise<EntryJson> {
    const response = await this.interception.getEntry({ accountId: '', asOperator: true, entryId });
    if (!response.entry) throw new EntryNotFoundError(entryId);
    return toEntryJson(response.entry, null);
  }

  @Delete(':entryId')
  @ApiOperation({ summary: 'Delete any block-list entry (kept in history)' })
  @ApiPathParam('entryId', 'The entry id.')
  @ApiJsonResponse(200, entryJson, 'The entry, now deleted.')
  @ApiErrors(404, 409)
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('entryId', entryIdPipe) entryId: string,
  ): Promise<EntryJson> {
    const response = await this.interception.deleteEntry({
      accountId: '',
      asOperator: true,
      entryId,
      actor: caller.keyId,
    });
    if (!response.entry) throw new EntryNotFoundError(entryId);
    return toEntryJson(response.entry, null);
  }
}
