import { Controller } from '@nestjs/common';
import { fromTimestamp, toTimestamp, webhookV1 } from '@sms/contracts';
import { DeliveriesService, type DeliveryView } from '../deliveries/deliveries.service';
import type { DeliveryStatus } from '../deliveries/webhook-delivery.entity';
import { EndpointsService } from './endpoints.service';
import type { WebhookEndpoint } from './webhook-endpoint.entity';

const STATUS: Record<DeliveryStatus, webhookV1.DeliveryStatus> = {
  PENDING: webhookV1.DeliveryStatus.DELIVERY_STATUS_PENDING,
  DELIVERED: webhookV1.DeliveryStatus.DELIVERY_STATUS_DELIVERED,
  FAILED: webhookV1.DeliveryStatus.DELIVERY_STATUS_FAILED,
};

function toEndpoint(endpoint: WebhookEndpoint): webhookV1.Endpoint {
  return {
    endpointId: endpoint.endpointId,
    accountId: endpoint.accountId,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    createdAt: toTimestamp(endpoint.createdAt),
    updatedAt: toTimestamp(endpoint.updatedAt),
    failingSince: endpoint.failingSince ? toTimestamp(endpoint.failingSince) : undefined,
  };
}

function toDelivery(delivery: DeliveryView): webhookV1.Delivery {
  return {
    deliveryId: delivery.deliveryId,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: STATUS[delivery.status],
    attempts: delivery.attempts,
    lastHttpCode: delivery.lastHttpCode,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt ? toTimestamp(delivery.nextAttemptAt) : undefined,
    createdAt: toTimestamp(delivery.createdAt),
    updatedAt: toTimestamp(delivery.updatedAt),
  };
}

/** Maps the WebhookService contract to the use cases and back; nothing else. */
@Controller()
@webhookV1.WebhookServiceControllerMethods()
export class WebhooksGrpcController implements webhookV1.WebhookServiceController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  async publishEvents(
    request: webhookV1.PublishEventsRequest,
  ): Promise<webhookV1.PublishEventsResponse> {
    return this.deliveries.publish(
      (request.events ?? []).map((event) => ({
        eventId: event.eventId,
        type: event.type,
        accountId: event.accountId,
        occurredAt: event.occurredAt ? fromTimestamp(event.occurredAt) : undefined,
        dataJson: event.dataJson,
      })),
    );
  }

  async createEndpoint(
    request: webhookV1.CreateEndpointRequest,
  ): Promise<webhookV1.CreateEndpointResponse> {
    const created = await this.endpoints.create(
      request.accountId,
      request.url,
      request.eventTypes ?? [],
    );
    return { endpoint: toEndpoint(created.endpoint), secret: created.secret };
  }

  async getEndpoint(request: webhookV1.GetEndpointRequest): Promise<webhookV1.GetEndpointResponse> {
    return {
      endpoint: toEndpoint(await this.endpoints.get(request.accountId, request.endpointId)),
    };
  }

  async listEndpoints(
    request: webhookV1.ListEndpointsRequest,
  ): Promise<webhookV1.ListEndpointsResponse> {
    return { endpoints: (await this.endpoints.list(request.accountId)).map(toEndpoint) };
  }

  async updateEndpoint(
    request: webhookV1.UpdateEndpointRequest,
  ): Promise<webhookV1.UpdateEndpointResponse> {
    const endpoint = await this.endpoints.update(request.accountId, request.endpointId, {
      fields: request.updateMask ?? [],
      url: request.url,
      eventTypes: request.eventTypes ?? [],
      enabled: request.enabled,
    });
    return { endpoint: toEndpoint(endpoint) };
  }

  async deleteEndpoint(
    request: webhookV1.DeleteEndpointRequest,
  ): Promise<webhookV1.DeleteEndpointResponse> {
    await this.endpoints.delete(request.accountId, request.endpointId);
    return {};
  }

  async rotateEndpointSecret(
    request: webhookV1.RotateEndpointSecretRequest,
  ): Promise<webhookV1.RotateEndpointSecretResponse> {
    const rotated = await this.endpoints.rotateSecret(request.accountId, request.endpointId);
    return { endpoint: toEndpoint(rotated.endpoint), secret: rotated.secret };
  }

  async listDeliveries(
    request: webhookV1.ListDeliveriesRequest,
  ): Promise<webhookV1.ListDeliveriesResponse> {
    const page = await this.deliveries.list(
      request.accountId,
      request.endpointId,
      request.pageSize,
      request.pageToken,
    );
    return { deliveries: page.deliveries.map(toDelivery), nextPageToken: page.nextPageToken };
  }

  async redeliver(request: webhookV1.RedeliverRequest): Promise<webhookV1.RedeliverResponse> {
    return {
      delivery: toDelivery(
        await this.deliveries.redeliver(request.accountId, request.endpointId, request.deliveryId),
      ),
    };
  }
}
