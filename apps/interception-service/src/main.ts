import './instrument';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@sms/contracts';
import { hostPort, loadConfig } from '@sms/platform-config';
import { callerTokensFrom, grpcServer } from '@sms/platform-grpc';
import { runService } from '@sms/platform-runtime';
import { AppModule, SERVICE_NAME } from './app.module';
import { INTERCEPTION_CALLERS } from './interception/grpc-callers';
import { interceptionConfigSchema } from './config';
import { prepareIndex } from './hot-index/index-rebuilder';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, interceptionConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
  grpc: (config) =>
    grpcServer(GRPC_SERVICES.interception, hostPort(config.BIND_HOST, config.GRPC_PORT), {
      tls: config,
      trust: { tokens: callerTokensFrom(config), policy: INTERCEPTION_CALLERS },
    }),
  // The hot index verified (or rebuilt) and lost expiry jobs re-created before SERVING.
  afterStart: (app) => prepareIndex(app),
});
