export {
  CAPPED_EXPONENTIAL,
  cappedExponentialDelay,
  isPermanentRefusal,
  rearmDelay,
  relayAction,
  roundJobId,
  type RelayAction,
} from './outbox-rules';
