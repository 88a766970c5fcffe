export {
  CAPPED_EXPONENTIAL,
  cappedExponentialDelay,
  cappedExponentialStrategy,
  isPermanentRefusal,
  rearmDelay,
  relayAction,
  roundJobId,
  type RelayAction,
} from './outbox-rules';
export {
  insertWebhookEvents,
  toProtoDeadLetter,
  webhookDeadLetterPage,
  WebhookOutboxRelay,
  WebhookOutboxTable,
  webhookRelayMetrics,
  type ClaimedWebhookEvent,
  type DeadLetterPageTokens,
  type WebhookDeadLetter,
  type WebhookDeadLetterPosition,
  type WebhookOutboxEvent,
  type WebhookPublisher,
  type WebhookRelayOptions,
} from './webhook-outbox';
export { WebhookEventsRelay, type WebhookEventsRelaySettings } from './webhook-events-relay';
