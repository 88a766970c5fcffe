import { GRPC_SERVICES, type GrpcServiceSpec, type replyV1, type statusV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { startWorkspaceService, type WorkspaceService } from '@sms/testing';

/** The three real back ends, each a process of its app with its own schema and Redis prefix. */
export interface BackEndServices {
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly replyTarget: string;
  /** For seeding as the sending service and the channels would. */
  readonly status: GrpcClient<statusV1.StatusServiceClient>;
  readonly reply: GrpcClient<replyV1.ReplyServiceClient>;
  stop(): Promise<void>;
}

function startBackEnd(
  app: string,
  grpcService: string,
  env: Record<string, string>,
): Promise<WorkspaceService> {
  return startWorkspaceService({ app, label: `gw-${app}`, grpcService, env });
}

/** interception-service, then status-tracker (feeds it), then reply-service (asks both). */
export async function startBackEndServices(): Promise<BackEndServices> {
  const started: WorkspaceService[] = [];
  const stopAll = async () => {
    for (const backEnd of started.reverse()) await backEnd.stop('SIGTERM');
  };
  try {
    const interception = await startBackEnd(
      'interception-service',
      'sms.interception.v1.InterceptionService',
      {},
    );
    started.push(interception);
    const status = await startBackEnd('status-tracker', 'sms.status.v1.StatusService', {
      INTERCEPTION_GRPC_TARGET: interception.target,
      OUTBOX_BACKOFF_MS: '100',
    });
    started.push(status);
    const reply = await startBackEnd('reply-service', 'sms.reply.v1.ReplyService', {
      STATUS_GRPC_TARGET: status.target,
      INTERCEPTION_GRPC_TARGET: interception.target,
      OUTBOX_BACKOFF_MS: '100',
    });
    started.push(reply);
    const statusClient = client<statusV1.StatusServiceClient>(GRPC_SERVICES.status, status.target);
    const replyClient = client<replyV1.ReplyServiceClient>(GRPC_SERVICES.reply, reply.target);
    return {
      statusTarget: status.target,
      interceptionTarget: interception.target,
      replyTarget: reply.target,
      status: statusClient,
      reply: replyClient,
      stop: async () => {
        statusClient.close();
        replyClient.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The test plays the sending service towards the back ends (RecordEvents, RecordReplies). */
function client<C>(spec: GrpcServiceSpec, target: string): GrpcClient<C> {
  return createGrpcClient<C>(spec, {
    target,
    deadlineMs: 10_000,
    callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
  });
}
