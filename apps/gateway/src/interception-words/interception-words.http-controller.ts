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
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { interceptionV1 } from '@sms/contracts';
import { z } from 'zod';
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
import { idParam, pagingFields } from '../transport/request-fields';
import { ZodValidationPipe } from '../transport/request-validation';
import {
  addedWordsJson,
  addWordsBody,
  interceptionWordJson,
  removedWordJson,
  toInterceptionWordJson,
  type AddedWordsJson,
  type AddWordsBody,
  type InterceptionWordJson,
  type RemovedWordJson,
} from './interception-word.json';
import { WordNotFoundError } from './interception-words.errors';

const listWordsQuery = z.strictObject({ ...pagingFields() });
type ListWordsQuery = z.output<typeof listWordsQuery>;
const wordIdPipe = new ZodValidationPipe(idParam(), 'path', 'wordId');

interface Target {
  readonly accountId: string;
  readonly asOperator: boolean;
  readonly list: interceptionV1.WordList;
}

/** The three calls both lists share; the controllers below only say which list. */
class WordListEndpoints {
  constructor(private readonly interception: InterceptionClient) {}

  async list(target: Target, query: ListWordsQuery): Promise<Page<InterceptionWordJson>> {
    const response = await this.interception.listInterceptionWords({
      ...target,
      pageSize: query.pageSize ?? 0,
      pageToken: query.pageToken ?? '',
    });
    return {
      data: response.words.map(toInterceptionWordJson),
      nextPageToken: response.nextPageToken || null,
    };
  }

  async add(target: Target, body: AddWordsBody, caller: Caller): Promise<AddedWordsJson> {
    const response = await this.interception.addInterceptionWords({
      ...target,
      words: body.words,
      actor: caller.keyId,
    });
    return { data: response.words.map(toInterceptionWordJson), added: response.added };
  }

  async remove(target: Target, wordId: string): Promise<RemovedWordJson> {
    const response = await this.interception.removeInterceptionWords({
      ...target,
      wordIds: [wordId],
    });
    // Another account's word is not on this list: 404, like an unknown id.
    if (response.removed === 0) throw new WordNotFoundError(wordId);
    return { wordId, removed: true };
  }
}

/** The account's own interception words: messages containing one are refused (keyword block). */
@ApiTags('interception-words')
@Authenticated('customer')
@Controller('v1/interception-words')
export class InterceptionWordsHttpController {
  private readonly endpoints: WordListEndpoints;

  constructor(@Inject(INTERCEPTION_CLIENT) interception: InterceptionClient) {
    this.endpoints = new WordListEndpoints(interception);
  }

  private target(caller: Caller): Target {
    return {
      accountId: caller.accountId,
      asOperator: false,
      list: interceptionV1.WordList.WORD_LIST_ACCOUNT,
    };
  }

  @Get()
  @ApiOperation({ summary: "List your account's interception words" })
  @ApiQueryFrom(listWordsQuery)
  @ApiJsonResponse(200, pageOf(interceptionWordJson), 'A page of words, newest first.')
  @ApiErrors()
  list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(listWordsQuery, 'query')) query: ListWordsQuery,
  ): Promise<Page<InterceptionWordJson>> {
    return this.endpoints.list(this.target(caller), query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Add words to your account's interception list (takes effect within a second)",
  })
  @ApiJsonBody(addWordsBody)
  @ApiJsonResponse(200, addedWordsJson, 'The words on the list; added counts the new ones.')
  @ApiErrors(413)
  add(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(addWordsBody, 'body')) body: AddWordsBody,
  ): Promise<AddedWordsJson> {
    return this.endpoints.add(this.target(caller), body, caller);
  }

  @Delete(':wordId')
  @ApiOperation({ summary: "Remove a word from your account's interception list" })
  @ApiPathParam('wordId', 'The word id.')
  @ApiJsonResponse(200, removedWordJson, 'Removed.')
  @ApiErrors(404)
  remove(
    @CurrentCaller() caller: Caller,
    @Param('wordId', wordIdPipe) wordId: string,
  ): Promise<RemovedWordJson> {
    return this.endpoints.remove(this.target(caller), wordId);
  }
}

const PLATFORM: Target = {
  accountId: '',
  asOperator: true,
  list: interceptionV1.WordList.WORD_LIST_PLATFORM,
};

/** The platform's interception words, applied to every account (operator keys only). */
@ApiTags('admin')
@Authenticated('operator')
@Controller('v1/admin/interception-words')
export class AdminInterceptionWordsHttpController {
  private readonly endpoints: WordListEndpoints;

  constructor(@Inject(INTERCEPTION_CLIENT) interception: InterceptionClient) {
    this.endpoints = new WordListEndpoints(interception);
  }

  @Get()
  @ApiOperation({ summary: 'List the platform interception words' })
  @ApiQueryFrom(listWordsQuery)
  @ApiJsonResponse(200, pageOf(interceptionWordJson), 'A page of words, newest first.')
  @ApiErrors()
  list(
    @Query(new ZodValidationPipe(listWordsQuery, 'query')) query: ListWordsQuery,
  ): Promise<Page<InterceptionWordJson>> {
    return this.endpoints.list(PLATFORM, query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add platform interception words, blocked for every account (within a second)',
  })
  @ApiJsonBody(addWordsBody)
  @ApiJsonResponse(200, addedWordsJson, 'The words on the list; added counts the new ones.')
  @ApiErrors(413)
  add(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(addWordsBody, 'body')) body: AddWordsBody,
  ): Promise<AddedWordsJson> {
    return this.endpoints.add(PLATFORM, body, caller);
  }

  @Delete(':wordId')
  @ApiOperation({ summary: 'Remove a platform interception word' })
  @ApiPathParam('wordId', 'The word id.')
  @ApiJsonResponse(200, removedWordJson, 'Removed.')
  @ApiErrors(404)
  remove(@Param('wordId', wordIdPipe) wordId: string): Promise<RemovedWordJson> {
    return this.endpoints.remove(PLATFORM, wordId);
  }
}
