import './instrument';
import 'reflect-metadata';
import { loadConfig } from '@sms/platform-config';
import { runService } from '@sms/platform-runtime';
import { AppModule, SERVICE_NAME } from './app.module';
import { gatewayConfigSchema } from './config';
import { configureGatewayApp } from './gateway-app';

void runService({
  name: SERVICE_NAME,
  loadConfig: () => loadConfig(SERVICE_NAME, gatewayConfigSchema, process.env),
  module: (config) => AppModule.register(config),
  configureApp: (app, config) => configureGatewayApp(app, config),
  httpPort: (config) => config.HTTP_PORT,
  shutdownDeadlineMs: (config) => config.SHUTDOWN_DEADLINE_MS,
});
