import './instrument';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@sms/contracts';
import { hostPort, loadConfig } from '@sms/platform-config';
import { callerTokensFrom, grpcServer } from '@sms/platform-grpc';
import { runService } from '@sms/platform-runtime';
import { AppModule, SERVICE_NAME } from './app.module';
import { dispatcherConfigSchema } from './config';
import { WEBHOOK_CALLERS } from './endpoints/grpc-callers';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, dispatcherConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
  grpc: (config) =>
    grpcServer(GRPC_SERVICES.webhook, hostPort(config.BIND_HOST, config.GRPC_PORT), {
      tls: config,
      trust: { tokens: callerTokensFrom(config), policy: WEBHOOK_CALLERS },
    }),
});
