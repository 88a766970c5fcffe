import { describeServiceLifecycle } from '@sms/testing';

describeServiceLifecycle({
  name: 'interception-service',
  main: 'apps/interception-service/src/main.ts',
  migrate: 'apps/interception-service/src/migrate.ts',
  grpcService: 'sms.interception.v1.InterceptionService',
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
