export { ConfigError, exitOnConfigError, loadConfig, type ConfigIssue } from './load-config';
export {
  bindHost,
  booleanFromString,
  durationMs,
  grpcTarget,
  hostPort,
  portNumber,
  positiveInt,
  postgresUrl,
  queueWorkerFields,
  redisClusterNodes,
  redisPrefix,
  type RedisClusterNode,
  redisUrl,
  retentionDays,
  schemaName,
  secret,
  serviceBaseFields,
} from './fields';
export { developmentSecret, MIN_PRODUCTION_SECRET_LENGTH, productionSecretIssues } from './secrets';
export {
  DEVELOPMENT_GRPC_TOKENS,
  GRPC_CALLERS,
  GRPC_TOKEN_VARIABLES,
  grpcTlsFields,
  grpcTokenFields,
  type GrpcCaller,
} from './grpc-security-fields';
