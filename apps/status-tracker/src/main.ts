import './instrument';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@sms/contracts';
import { hostPort, loadConfig } from '@sms/platform-config';
import { callerTokensFrom, grpcServer } from '@sms/platform-grpc';
import { runService } from '@sms/platform-runtime';
import { AppModule, SERVICE_NAME } from './app.module';
import { STATUS_CALLERS } from './messages/grpc-callers';
import { statusConfigSchema } from './config';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, statusConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
  grpc: (config) =>
    grpcServer(GRPC_SERVICES.status, hostPort(config.BIND_HOST, config.GRPC_PORT), {
      tls: config,
      trust: { tokens: callerTokensFrom(config), policy: STATUS_CALLERS },
    }),
});
