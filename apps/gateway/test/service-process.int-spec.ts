import { describeServiceLifecycle } from '@sms/testing';

describeServiceLifecycle({
  name: 'gateway',
  main: 'apps/gateway/src/main.ts',
  migrate: 'apps/gateway/src/migrate.ts',
  env: (context) => ({
    DATABASE_URL: context.databaseUrl,
    DATABASE_SCHEMA: context.schema,
    REDIS_URL: context.redisUrl,
    REDIS_PREFIX: context.redisPrefix,
    HTTP_PORT: String(context.httpPort),
  }),
});
