import { GRPC_SERVICES, type replyV1 } from '@sms/contracts';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient, grpcServer, serveGrpc, type GrpcClient } from '@sms/platform-grpc';
import { startInProcessService, type InProcessService } from '@sms/testing';
import { AppModule, SERVICE_NAME } from '../../src/app.module';
import { replyConfigSchema, type ReplyConfig } from '../../src/config';
import { ormSettings } from '../../src/database';

export type RunningReplyService = InProcessService<
  ReplyConfig,
  GrpcClient<replyV1.ReplyServiceClient>
>;

/** The reply-service in this process, migrated into the schema `env` names. */
export function startReplyService(env: Record<string, string>): Promise<RunningReplyService> {
  return startInProcessService(
    {
      loadConfig: (vars) => loadConfig(SERVICE_NAME, replyConfigSchema, vars),
      migrate: (config) => runMigrations(ormSettings(config)),
      module: (config) => AppModule.register(config),
      serveGrpc: async (app, address) => {
        const grpc = grpcServer(GRPC_SERVICES.reply, address);
        await serveGrpc(app, grpc.options);
        return grpc.health;
      },
      client: (target) =>
        createGrpcClient<replyV1.ReplyServiceClient>(GRPC_SERVICES.reply, {
          target,
          deadlineMs: 20_000,
        }),
    },
    env,
  );
}
