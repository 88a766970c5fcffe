import { Body, Controller, Delete, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { interceptionV1 } from '@sms/contracts';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
import { pagingFields, phoneField } from '../transport/request-fields';
import { ZodValidationPipe } from '../transport/request-validation';
import { toUnsubscribeJson, unsubscribeJson, type UnsubscribeJson } from './unsubscribe.json';

export const listUnsubscribesQuery = z.strictObject({
  phone: phoneField().optional().meta({ description: 'Phone; normalised to E.164.' }),
  ...pagingFields(),
});
type ListUnsubscribesQuery = z.output<typeof listUnsubscribesQuery>;

export const addUnsubscribeBody = z
  .strictObject({ phone: phoneField() })
  .meta({ id: 'AddUnsubscribeRequest', description: 'A number to unsubscribe.' });
type AddUnsubscribeBody = z.output<typeof addUnsubscribeBody>;

const removedJson = z
  .object({
    phone: z.string().meta({ description: 'E.164' }),
    removed: z.boolean().meta({ description: 'False when the number was not unsubscribed.' }),
  })
  .meta({ id: 'UnsubscribeRemoval', description: 'The outcome of removing an unsubscribe.' });
type RemovedJson = z.infer<typeof removedJson>;

/** The account's unsubscribe list: numbers it must not send to. */
@ApiTags('unsubscribes')
@Authenticated('customer')
@Controller('v1/unsubscribes')
export class UnsubscribesHttpController {
  constructor(@Inject(INTERCEPTION_CLIENT) private readonly interception: InterceptionClient) {}

  @Get()
  @ApiOperation({ summary: 'List the numbers unsubscribed from your account' })
  @ApiQueryFrom(listUnsubscribesQuery)
  @ApiJsonResponse(200, pageOf(unsubscribeJson), 'A page of unsubscribes.')
  @ApiErrors()
  async list(
    @CurrentCaller() caller: Caller,
    @Query(new ZodValidationPipe(listUnsubscribesQuery, 'query')) query: ListUnsubscribesQuery,
  ): Promise<Page<UnsubscribeJson>> {
    const response = await this.interception.listUnsubscribes({
      accountId: caller.accountId,
      phone: query.phone ?? '',
      pageSize: query.pageSize ?? 0,
      pageToken: query.pageToken ?? '',
    });
    return {
      data: response.unsubscribes.map(toUnsubscribeJson),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Post()
  @ApiOperation({ summary: 'Unsubscribe a number from your account' })
  @ApiJsonBody(addUnsubscribeBody)
  @ApiJsonResponse(201, unsubscribeJson, 'Added.')
  @ApiJsonResponse(200, unsubscribeJson, 'The number was already unsubscribed.')
  @ApiErrors(413)
  async add(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(addUnsubscribeBody, 'body')) body: AddUnsubscribeBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnsubscribeJson> {
    const response = await this.interception.addUnsubscribe({
      accountId: caller.accountId,
      phone: body.phone,
      source: interceptionV1.UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: undefined,
    });
    if (!response.unsubscribe) throw new Error('AddUnsubscribe answered without a record');
    res.status(response.created ? 201 : 200);
    return toUnsubscribeJson(response.unsubscribe);
  }

  @Delete(':phone')
  @ApiOperation({ summary: 'Resubscribe a number (remove it from your unsubscribe list)' })
  @ApiPathParam('phone', 'The phone number, E.164 (URL-encode + as %2B).')
  @ApiJsonResponse(200, removedJson, 'Whether a record was removed.')
  @ApiErrors()
  async remove(
    @CurrentCaller() caller: Caller,
    @Param('phone', new ZodValidationPipe(phoneField(), 'path', 'phone')) phone: string,
  ): Promise<RemovedJson> {
    const response = await this.interception.removeUnsubscribe({
      accountId: caller.accountId,
      phone,
      occurredAt: undefined,
    });
    return { phone, removed: response.removed };
  }
}
