import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GRPC_SERVICES, type webhookV1 } from '@sms/contracts';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient, grpcServer, serveGrpc, type GrpcClient } from '@sms/platform-grpc';
import { freePort } from '@sms/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { dispatcherConfigSchema, type DispatcherConfig } from '../../src/config';
import { ormSettings } from '../../src/database';

export interface RunningDispatcher {
  readonly app: INestApplication;
  readonly config: DispatcherConfig;
  readonly client: GrpcClient<webhookV1.WebhookServiceClient>;
  close(): Promise<void>;
}

/**
 * The webhook-dispatcher in this process (its own AppModule, a real gRPC server on a free port),
 * migrated into the given schema: what runService does, minus HTTP and signals.
 */
export async function startDispatcher(env: Record<string, string>): Promise<RunningDispatcher> {
  const grpcPort = await freePort();
  const config = loadConfig(SERVICE_NAME, dispatcherConfigSchema, {
    LOG_LEVEL: 'warn',
    GRPC_PORT: String(grpcPort),
    ...env,
  });
  await runMigrations(ormSettings(config));
  const app = await NestFactory.create(AppModule.register(config), { logger: ['error'] });
  const grpc = grpcServer(GRPC_SERVICES.webhook, `127.0.0.1:${grpcPort}`);
  await serveGrpc(app, grpc.options);
  await app.init();
  grpc.health.setServing(true);
  const client = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
    target: `127.0.0.1:${grpcPort}`,
    deadlineMs: 20_000,
  });
  return {
    app,
    config,
    client,
    close: async () => {
      client.close();
      await app.close();
    },
  };
}
