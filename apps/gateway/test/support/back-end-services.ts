import { GRPC_SERVICES, type GrpcServiceSpec, type replyV1, type statusV1 } from '@sms/contracts';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import { createRedis, hashTaggedPrefix } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  grpcHealthStatus,
  startServiceProcess,
  testInfrastructure,
  waitFor,
  type ServiceProcess,
  type TestSchema,
} from '@sms/testing';

interface BackEndProcess {
  readonly name: string;
  readonly target: string;
  readonly process: ServiceProcess;
  readonly schema: TestSchema;
  readonly redisBase: string;
  readonly redisService: string;
}

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

async function startBackEnd(
  name: string,
  grpcService: string,
  redisService: string,
  extraEnv: Record<string, string>,
): Promise<BackEndProcess> {
  const schema = await createTestSchema(`gw-${name}`);
  const redisBase = createTestRedisPrefix(`gw-${name}`).replace(/[{}]/g, '');
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const env = {
    DATABASE_URL: schema.databaseUrl,
    DATABASE_SCHEMA: schema.schema,
    REDIS_URL: testInfrastructure().redisUrl,
    REDIS_PREFIX: redisBase,
    GRPC_PORT: String(grpcPort),
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const migrate = startServiceProcess(`apps/${name}/src/migrate.ts`, env);
  if ((await migrate.exited).code !== 0) {
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
  return { name, target, process, schema, redisBase, redisService };
}

/** interception-service, then status-tracker (feeds it), then reply-service (asks both). */
export async function startBackEndServices(): Promise<BackEndServices> {
  const started: BackEndProcess[] = [];
  const stopAll = async () => {
    const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'gateway-test-cleanup' });
    for (const backEnd of started.reverse()) {
      await backEnd.process.stop('SIGTERM');
      await backEnd.schema.drop();
      await deleteKeysWithPrefix(redis, hashTaggedPrefix(backEnd.redisBase, backEnd.redisService));
    }
    await redis.quit();
  };
  try {
    const interception = await startBackEnd(
      'interception-service',
      'sms.interception.v1.InterceptionService',
      'interception',
      {},
    );
    started.push(interception);
    const status = await startBackEnd('status-tracker', 'sms.status.v1.StatusService', 'status', {
      INTERCEPTION_GRPC_TARGET: interception.target,
      OUTBOX_BACKOFF_MS: '100',
    });
    started.push(status);
    const reply = await startBackEnd('reply-service', 'sms.reply.v1.ReplyService', 'reply', {
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

function client<C>(spec: GrpcServiceSpec, target: string): GrpcClient<C> {
  return createGrpcClient<C>(spec, { target, deadlineMs: 10_000 });
}
