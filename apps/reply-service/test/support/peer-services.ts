import {
  GRPC_SERVICES,
  type GrpcServiceSpec,
  type interceptionV1,
  type statusV1,
} from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import {
  createTestRedisPrefix,
  createTestSchema,
  freePort,
  grpcHealthStatus,
  startServiceProcess,
  testInfrastructure,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';

/** A real status-tracker and interception-service, each a process with its own schema/prefix. */
export interface PeerServices {
  readonly statusTarget: string;
  readonly interceptionTarget: string;
  readonly status: GrpcClient<statusV1.StatusServiceClient>;
  readonly interception: GrpcClient<interceptionV1.InterceptionServiceClient>;
  stop(): Promise<void>;
}

interface PeerProcess {
  readonly target: string;
  readonly process: ServiceProcess;
  readonly schema: TestSchema;
}

async function startPeer(
  name: string,
  grpcService: string,
  extraEnv: (ports: { grpcPort: number }) => Record<string, string>,
): Promise<PeerProcess> {
  const schema = await createTestSchema(`reply-peer-${name}`);
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const env = {
    DATABASE_URL: schema.databaseUrl,
    DATABASE_SCHEMA: schema.schema,
    REDIS_URL: testInfrastructure().redisUrl,
    REDIS_PREFIX: createTestRedisPrefix(`reply-peer-${name}`).replace(/[{}]/g, ''),
    GRPC_PORT: String(grpcPort),
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
    ...extraEnv({ grpcPort }),
  };
  const migrate = startServiceProcess(`apps/${name}/src/migrate.ts`, env);
  const migrated = await migrate.exited;
  if (migrated.code !== 0) {
    await schema.drop();
    throw new Error(`${name} migrate failed:\n${migrate.output()}`);
  }
  const process = startServiceProcess(`apps/${name}/src/main.ts`, env);
  const target = `127.0.0.1:${grpcPort}`;
  try {
    await waitFor(async () => (await grpcHealthStatus(target, grpcService, 500)) === 'SERVING', {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: `${name} to serve gRPC`,
    });
  } catch (error) {
    await process.stop('SIGKILL');
    await schema.drop();
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${process.output()}`);
  }
  return { target, process, schema };
}

/**
 * Starts interception-service, then status-tracker (which reports send failures to it), as the
 * real processes of their apps (never imported: apps do not import apps).
 */
export async function startPeerServices(): Promise<PeerServices> {
  const interception = await startPeer(
    'interception-service',
    'sms.interception.v1.InterceptionService',
    () => ({ RECONCILE_INTERVAL_MS: '1000' }),
  );
  let status: PeerProcess;
  try {
    status = await startPeer('status-tracker', 'sms.status.v1.StatusService', () => ({
      INTERCEPTION_GRPC_TARGET: interception.target,
    }));
  } catch (error) {
    await interception.process.stop('SIGKILL');
    await interception.schema.drop();
    throw error;
  }
  const statusClient = client<statusV1.StatusServiceClient>(GRPC_SERVICES.status, status.target);
  const interceptionClient = client<interceptionV1.InterceptionServiceClient>(
    GRPC_SERVICES.interception,
    interception.target,
  );
  return {
    statusTarget: status.target,
    interceptionTarget: interception.target,
    status: statusClient,
    interception: interceptionClient,
    stop: async () => {
      statusClient.close();
      interceptionClient.close();
      for (const peer of [status, interception]) {
        await peer.process.stop('SIGTERM');
        await peer.schema.drop();
      }
    },
  };
}

function client<C>(spec: GrpcServiceSpec, target: string): GrpcClient<C> {
  return createGrpcClient<C>(spec, { target, deadlineMs: 10_000 });
}
