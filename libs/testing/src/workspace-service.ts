import { Redis } from 'ioredis';
import { grpcHealthStatus } from './grpc-health';
import { testInfrastructure } from './infrastructure';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { createTestRedisPrefix, deleteKeysWithPrefix } from './test-redis';
import { createTestSchema, type TestSchema } from './test-schema';
import { freePort, waitFor } from './wait';

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface WorkspaceServiceOptions {
  /** The app folder under `apps/`, e.g. `status-tracker`. */
  readonly app: string;
  /** Names the test schema and Redis prefix (default: the app). */
  readonly label?: string;
  /**
   * Fully qualified gRPC service whose health must be SERVING (`''`: the server as a whole).
   * Omitted for HTTP-only apps (the gateway): then only `/healthz` is awaited.
   */
  readonly grpcService?: string;
  /** Added to (and overriding) the standard variables: peers' targets, tuning, LOG_LEVEL. */
  readonly env?: Record<string, string>;
  /** Ports chosen beforehand (e.g. when peers must know them first); default: free ports. */
  readonly grpcPort?: number;
  readonly httpPort?: number;
  /** Run `migrate.ts` before `main.ts` (default true). */
  readonly migrate?: boolean;
  /** How long to wait for health (default 60 s). */
  readonly timeoutMs?: number;
  /** Run the build under dist/ with plain node, as the images do (`npm run build` first). */
  readonly compiled?: boolean;
  /** Options for node itself before `main.ts` (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
  /**
   * A replica of this running service: same schema and Redis prefix (no migration by default),
   * which its own stop leaves in place (the first one's stop removes them).
   */
  readonly replicaOf?: WorkspaceService;
}

export interface WorkspaceService {
  readonly app: string;
  /** The environment it runs with (for CLIs of the same app). */
  readonly env: Record<string, string>;
  readonly schema: TestSchema;
  /** REDIS_PREFIX base; its keys live under `{<base>:<service>}`. */
  readonly redisBase: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** `127.0.0.1:<grpcPort>`. */
  readonly target: string;
  /** The running process (a new one after `restart`). */
  readonly process: ServiceProcess;
  /** Output of every process of this service so far (each restart appended). */
  output(): string;
  /**
   * Ends the process with `signal` (SIGKILL unless told, a crash) and starts `main.ts` again on
   * the same schema, Redis prefix and ports; resolves once it is healthy again.
   */
  restart(signal?: NodeJS.Signals): Promise<Exit>;
  /** Stops the process (SIGTERM unless told), then drops its schema and deletes its keys. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/**
 * Runs a workspace app as real processes, the way it runs in production: `migrate.ts`, then
 * `main.ts`, with its own test schema, Redis prefix and ports, and waits until it is healthy.
 * On failure nothing is left behind and the error carries the process's output.
 */
export async function startWorkspaceService(
  options: WorkspaceServiceOptions,
): Promise<WorkspaceService> {
  const { app } = options;
  const label = options.label ?? app;
  const { redisUrl } = testInfrastructure();
  const { replicaOf } = options;
  const schema = replicaOf?.schema ?? (await createTestSchema(label));
  const redisBase = replicaOf?.redisBase ?? createTestRedisPrefix(label).replace(/[{}]/g, '');
  const grpcPort = options.grpcPort ?? (await freePort());
  const httpPort = options.httpPort ?? (await freePort());
  const target = `127.0.0.1:${grpcPort}`;
  const env: Record<string, string> = {
    DATABASE_URL: schema.databaseUrl,
    DATABASE_SCHEMA: schema.schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisBase,
    GRPC_PORT: String(grpcPort),
    HTTP_PORT: String(httpPort),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const cleanUp = async () => {
    if (replicaOf) return;
    await schema.drop();
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    try {
      await redis.connect();
      await deleteKeysWithPrefix(redis, `{${redisBase}:`);
    } finally {
      redis.disconnect();
    }
  };

  if (options.migrate ?? !replicaOf) {
    const migrate = startServiceProcess(`apps/${app}/src/migrate.ts`, env, {
      compiled: options.compiled,
    });
    const exit = await migrate.exited;
    if (exit.code !== 0) {
      await cleanUp();
      throw new Error(`${app} migrate failed (${JSON.stringify(exit)}):\n${migrate.output()}`);
    }
  }
  const launch = async (): Promise<ServiceProcess> => {
    const started = startServiceProcess(`apps/${app}/src/main.ts`, env, {
      compiled: options.compiled,
      nodeArgs: options.nodeArgs,
    });
    const exited = () => started.child.exitCode !== null || started.child.signalCode !== null;
    try {
      await waitFor(
        async () => {
          // An early exit ends the wait at once (reported below) instead of at the timeout.
          if (exited()) return true;
          const health = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
          if (health.status !== 200) return false;
          if (options.grpcService === undefined) return true;
          return (await grpcHealthStatus(target, options.grpcService, 1000)) === 'SERVING';
        },
        { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 100, description: `${app} healthy` },
      );
      if (exited()) throw new Error(`${app} exited (${JSON.stringify(await started.exited)})`);
    } catch (error) {
      await started.stop('SIGKILL');
      throw new Error(`${(error as Error).message}\n--- ${app} output ---\n${started.output()}`);
    }
    return started;
  };
  let process: ServiceProcess;
  try {
    process = await launch();
  } catch (error) {
    await cleanUp();
    throw error;
  }
  let earlier = '';
  return {
    app,
    env,
    schema,
    redisBase,
    grpcPort,
    httpPort,
    target,
    get process() {
      return process;
    },
    output: () => earlier + process.output(),
    restart: async (signal = 'SIGKILL') => {
      const exit = await process.stop(signal);
      earlier += `${process.output()}\n--- ${app} ended (${JSON.stringify(exit)}), restarted ---\n`;
      process = await launch();
      return exit;
    },
    stop: async (signal = 'SIGTERM') => {
      const exit = await process.stop(signal);
      await cleanUp();
      return exit;
    },
  };
}
