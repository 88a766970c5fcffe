export { ConfigError, exitOnConfigError, loadConfig, type ConfigIssue } from './load-config';
export {
  booleanFromString,
  durationMs,
  grpcTarget,
  portNumber,
  positiveInt,
  postgresUrl,
  redisPrefix,
  redisUrl,
  retentionDays,
  schemaName,
  secret,
  serviceBaseFields,
} from './fields';
