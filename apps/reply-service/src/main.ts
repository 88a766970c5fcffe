import './instrument';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@sms/contracts';
import { hostPort, loadConfig } from '@sms/platform-config';
import { callerTokensFrom, grpcServer } from '@sms/platform-grpc';
import { runService } from '@sms/platform-runtime';
import { AppModule, SERVICE_NAME } from './app.module';
import { REPLY_CALLERS } from './replies/grpc-callers';
import { replyConfigSchema } from './config';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, replyConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
  grpc: (config) =>
    grpcServer(GRPC_SERVICES.reply, hostPort(config.BIND_HOST, config.GRPC_PORT), {
      tls: config,
      trust: { tokens: callerTokensFrom(config), policy: REPLY_CALLERS },
    }),
});
