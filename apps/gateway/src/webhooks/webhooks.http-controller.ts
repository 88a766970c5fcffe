import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/api-key.guard';
import { CurrentCaller, type Caller } from '../auth/caller';
import { WEBHOOK_CLIENT, type WebhookClient } from '../backends/backend-clients';
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
import { ZodValidationPipe } from '../transport/request-validation';
import {
  deliveryJson,
  toDeliveryJson,
  toWebhookJson,
  webhookJson,
  webhookWithSecretJson,
  type DeliveryJson,
  type WebhookJson,
  type WebhookWithSecretJson,
} from './webhook.json';
import {
  createWebhookBody,
  listDeliveriesQuery,
  updateWebhookBody,
  type CreateWebhookBody,
  type ListDeliveriesQuery,
  type UpdateWebhookBody,
} from './webhooks.query';

const webhookIdPipe = new ZodValidationPipe(idParam(), 'path', 'webhookId');
const deliveryIdPipe = new ZodValidationPipe(idParam(), 'path', 'deliveryId');

const SIGNING =
  'Each POST carries webhook-id (the event id, the same on every retry), webhook-timestamp (Unix seconds) and webhook-signature: "v1," + base64 HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the base64 key after "whsec_" (Standard Webhooks).';

/** The account's webhook endpoints and their deliveries; the webhook-dispatcher keeps them. */
@ApiTags('webhooks')
@Authenticated('customer')
@Controller('v1/webhooks')
export class WebhooksHttpController {
  constructor(@Inject(WEBHOOK_CLIENT) private readonly webhooks: WebhookClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description: `The answer holds the signing secret, the only time it is shown. ${SIGNING}`,
  })
  @ApiJsonBody(createWebhookBody)
  @ApiJsonResponse(201, webhookWithSecretJson, 'The endpoint and its secret.')
  @ApiErrors(409)
  async create(
    @CurrentCaller() caller: Caller,
    @Body(new ZodValidationPipe(createWebhookBody, 'body')) body: CreateWebhookBody,
  ): Promise<WebhookWithSecretJson> {
    const response = await this.webhooks.createEndpoint({
      accountId: caller.accountId,
      url: body.url,
      eventTypes: body.eventTypes,
    });
    return { ...toWebhookJson(required(response.endpoint)), secret: response.secret };
  }

  @Get()
  @ApiOperation({ summary: 'List your webhook endpoints, oldest first' })
  @ApiJsonResponse(200, pageOf(webhookJson), 'Every endpoint (one page).')
  @ApiErrors()
  async list(@CurrentCaller() caller: Caller): Promise<Page<WebhookJson>> {
    const response = await this.webhooks.listEndpoints({ accountId: caller.accountId });
    return { data: (response.endpoints ?? []).map(toWebhookJson), nextPageToken: null };
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One of your webhook endpoints' })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiJsonResponse(200, webhookJson, 'The endpoint.')
  @ApiErrors(404)
  async get(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
  ): Promise<WebhookJson> {
    const response = await this.webhooks.getEndpoint({
      accountId: caller.accountId,
      endpointId: webhookId,
    });
    return toWebhookJson(required(response.endpoint));
  }

  @Patch(':webhookId')
  @ApiOperation({
    summary: 'Change the URL, the event types or enabled',
    description:
      'Fields left out stay as they are. enabled=true re-enables an endpoint disabled for failing.',
  })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiJsonBody(updateWebhookBody)
  @ApiJsonResponse(200, webhookJson, 'The endpoint as changed.')
  @ApiErrors(404)
  async update(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
    @Body(new ZodValidationPipe(updateWebhookBody, 'body')) body: UpdateWebhookBody,
  ): Promise<WebhookJson> {
    const mask = [
      ...(body.url !== undefined ? ['url'] : []),
      ...(body.eventTypes !== undefined ? ['event_types'] : []),
      ...(body.enabled !== undefined ? ['enabled'] : []),
    ];
    const response = await this.webhooks.updateEndpoint({
      accountId: caller.accountId,
      endpointId: webhookId,
      updateMask: mask,
      url: body.url ?? '',
      eventTypes: body.eventTypes ?? [],
      enabled: body.enabled ?? false,
    });
    return toWebhookJson(required(response.endpoint));
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint: it receives nothing more' })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiErrors(404)
  async delete(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
  ): Promise<void> {
    await this.webhooks.deleteEndpoint({ accountId: caller.accountId, endpointId: webhookId });
  }

  @Post(':webhookId/rotate-secret')
  @ApiOperation({
    summary: 'Replace the signing secret',
    description:
      'The answer holds the new secret, the only time it is shown; the old one stops signing at once.',
  })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiJsonResponse(201, webhookWithSecretJson, 'The endpoint and its new secret.')
  @ApiErrors(404)
  async rotate(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
  ): Promise<WebhookWithSecretJson> {
    const response = await this.webhooks.rotateEndpointSecret({
      accountId: caller.accountId,
      endpointId: webhookId,
    });
    return { ...toWebhookJson(required(response.endpoint)), secret: response.secret };
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Deliveries to one of your endpoints, newest first' })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiQueryFrom(listDeliveriesQuery)
  @ApiJsonResponse(200, pageOf(deliveryJson), 'A page of deliveries.')
  @ApiErrors(404)
  async deliveries(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
    @Query(new ZodValidationPipe(listDeliveriesQuery, 'query')) query: ListDeliveriesQuery,
  ): Promise<Page<DeliveryJson>> {
    const response = await this.webhooks.listDeliveries({
      accountId: caller.accountId,
      endpointId: webhookId,
      pageSize: query.pageSize ?? 0,
      pageToken: query.pageToken ?? '',
    });
    return {
      data: (response.deliveries ?? []).map(toDeliveryJson),
      nextPageToken: response.nextPageToken || null,
    };
  }

  @Post(':webhookId/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery’s event again now',
    description: 'A fresh series of attempts with the same webhook-id.',
  })
  @ApiPathParam('webhookId', 'The endpoint id.')
  @ApiPathParam('deliveryId', 'The delivery id.')
  @ApiJsonResponse(202, deliveryJson, 'The delivery, pending again.')
  @ApiErrors(404)
  async redeliver(
    @CurrentCaller() caller: Caller,
    @Param('webhookId', webhookIdPipe) webhookId: string,
    @Param('deliveryId', deliveryIdPipe) deliveryId: string,
  ): Promise<DeliveryJson> {
    const response = await this.webhooks.redeliver({
      accountId: caller.accountId,
      endpointId: webhookId,
      deliveryId,
    });
    return toDeliveryJson(required(response.delivery));
  }
}

function required<T>(value: T | undefined): T {
  if (!value) throw new Error('the webhook-dispatcher answered without a body');
  return value;
}
