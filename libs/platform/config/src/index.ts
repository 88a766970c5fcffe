export { ConfigError, loadConfig, type ConfigIssue } from './load-config';
export {
  booleanFromString,
  durationMs,
  portNumber,
  positiveInt,
  postgresUrl,
  redisUrl,
  schemaName,
  serviceBaseFields,
} from './fields';
