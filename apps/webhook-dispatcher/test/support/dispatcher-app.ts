import { GRPC_SERVICES, type webhookV1 } from '@sms/contracts';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient, grpcServer, serveGrpc, type GrpcClient } from '@sms/platform-grpc';
import { startInProcessService, type InProcessService } from '@sms/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { dispatcherConfigSchema, type DispatcherConfig } from '../../src/config';
import { ormSettings } from '../../src/database';

export type RunningDispatcher = InProcessService<
  DispatcherConfig,
  GrpcClient<webhookV1.WebhookServiceClient>
>;

/** The webhook-dispatcher in this process, migrated into the schema `env` names. */
export function startDispatcher(env: Record<string, string>): Promise<RunningDispatcher> {
  return startInProcessService(
    {
      loadConfig: (vars) => loadConfig(SERVICE_NAME, dispatcherConfigSchema, vars),
      migrate: (config) => runMigrations(ormSettings(config)),
      module: (config) => AppModule.register(config),
      serveGrpc: async (app, address) => {
        const grpc = grpcServer(GRPC_SERVICES.webhook, address);
        await serveGrpc(app, grpc.options);
        return grpc.health;
      },
      client: (target) =>
        createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
          target,
          deadlineMs: 20_000,
        }),
    },
    env,
  );
}
