import 'reflect-metadata';
import { GRPC_SERVICES } from '@sms/contracts';
import { loadConfig } from '@sms/platform-config';
import { callerTokensFrom, grpcServer } from '@sms/platform-grpc';
import { runService } from '@sms/platform-runtime';
import { Logger } from '@nestjs/common';
import { AppModule, SERVICE_NAME } from './app.module';
import { INTERCEPTION_CALLERS } from './interception/grpc-callers';
import { interceptionConfigSchema } from './config';
import { IndexReconciler } from './hot-index/index-reconciler';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, interceptionConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
  grpc: (config) =>
    grpcServer(GRPC_SERVICES.interception, `0.0.0.0:${config.GRPC_PORT}`, {
      tls: config,
      trust: { tokens: callerTokensFrom(config), policy: INTERCEPTION_CALLERS },
    }),
  // Rebuild the hot index and re-create lost expiry jobs before reporting SERVING. Checks are
  // correct without it (they answer from PostgreSQL until the sentinel is set), so a failure
  // here (Redis down) is logged and left to the periodic reconciler.
  afterStart: async (app) => {
    await app
      .get(IndexReconciler)
      .reconcile()
      .catch((error: unknown) =>
        new Logger('Bootstrap').warn(`start-up reconcile failed: ${String(error)}`),
      );
  },
});
