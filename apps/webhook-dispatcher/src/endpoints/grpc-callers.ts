import type { webhookV1 } from '@sms/contracts';
import type { GrpcCallerPolicy } from '@sms/platform-grpc';

/** Who may call each RPC (README "Security"): the outbox relays publish, the gateway manages. */
export const WEBHOOK_CALLERS: GrpcCallerPolicy<webhookV1.WebhookServiceController> = {
  publishEvents: ['status-tracker', 'reply-service', 'interception-service'],
  createEndpoint: ['gateway'],
  getEndpoint: ['gateway'],
  listEndpoints: ['gateway'],
  updateEndpoint: ['gateway'],
  deleteEndpoint: ['gateway'],
  rotateEndpointSecret: ['gateway'],
  listDeliveries: ['gateway'],
  redeliver: ['gateway'],
};
