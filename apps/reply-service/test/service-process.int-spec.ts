import { describeServiceLifecycle } from '@sms/testing';

describeServiceLifecycle({
  name: 'reply-service',
  main: 'apps/reply-service/src/main.ts',
  migrate: 'apps/reply-service/src/migrate.ts',
  grpcService: 'sms.reply.v1.ReplyService',
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
