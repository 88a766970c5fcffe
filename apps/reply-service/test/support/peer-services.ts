import {
  GRPC_SERVICES,
  type GrpcServiceSpec,
  type interceptionV1,
  type statusV1,
} from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcCaller, type GrpcClient } from '@sms/platform-grpc';
import { startWorkspaceService, type WorkspaceService } from '@sms/testing';

/** A real status-tracker and interception-service, each a process with its own schema/prefix. */
export interface PeerServices {
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly status: GrpcClient<statusV1.StatusServiceClient>;
  readonly interception: GrpcClient<interceptionV1.InterceptionServiceClient>;
  stop(): Promise<void>;
}

function startPeer(
  app: string,
  grpcService: string,
  env: Record<string, string>,
): Promise<WorkspaceService> {
  return startWorkspaceService({ app, label: `reply-peer-${app}`, grpcService, env });
}

/**
 * Starts interception-service, then status-tracker (which reports send failures to it), as the
 * real processes of their apps (never imported: apps do not import apps).
 */
export async function startPeerServices(): Promise<PeerServices> {
  const interception = await startPeer(
    'interception-service',
    'sms.interception.v1.InterceptionService',
    { RECONCILE_INTERVAL_MS: '1000' },
  );
  let status: WorkspaceService;
  try {
    status = await startPeer('status-tracker', 'sms.status.v1.StatusService', {
      INTERCEPTION_GRPC_TARGET: interception.target,
    });
  } catch (error) {
    await interception.stop('SIGKILL');
    throw error;
  }
  // The test records events as the sending service and reads unsubscribes as the gateway.
  const statusClient = client<statusV1.StatusServiceClient>(
    GRPC_SERVICES.status,
    status.target,
    'sender',
  );
  const interceptionClient = client<interceptionV1.InterceptionServiceClient>(
    GRPC_SERVICES.interception,
    interception.target,
    'gateway',
  );
  return {
    statusTarget: status.target,
    interceptionTarget: interception.target,
    status: statusClient,
    interception: interceptionClient,
    stop: async () => {
      statusClient.close();
      interceptionClient.close();
      for (const peer of [status, interception]) await peer.stop('SIGTERM');
    },
  };
}

function client<C>(spec: GrpcServiceSpec, target: string, caller: GrpcCaller): GrpcClient<C> {
  return createGrpcClient<C>(spec, {
    target,
    deadlineMs: 10_000,
    callerToken: DEVELOPMENT_GRPC_TOKENS[caller],
  });
}
