import { describeServiceLifecycle } from '@sms/testing';

describeServiceLifecycle({
  name: 'status-tracker',
  main: 'apps/status-tracker/src/main.ts',
  migrate: 'apps/status-tracker/src/migrate.ts',
  grpcService: 'sms.status.v1.StatusService',
  env: (context) => ({
    DATABASE_URL: context.databaseUrl,
    DATABASE_SCHEMA: context.schema,
    REDIS_URL: context.redisUrl,
    REDIS_PREFIX: context.redisPrefix,
    GRPC_PORT: String(context.grpcPort),
    HTTP_PORT: String(context.httpPort),
    LOG_LEVEL: 'info',
  }),
});
