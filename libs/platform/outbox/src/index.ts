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
