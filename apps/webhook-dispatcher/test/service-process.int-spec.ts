import { describeServiceLifecycle } from '@sms/testing';

describeServiceLifecycle({
  name: 'webhook-dispatcher',
  main: 'apps/webhook-dispatcher/src/main.ts',
  migrate: 'apps/webhook-dispatcher/src/migrate.ts',
  grpcService: 'sms.webhook.v1.WebhookService',
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
