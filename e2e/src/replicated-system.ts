// The whole system with two replicas of status-tracker, interception-service, reply-service and
// webhook-dispatcher (each pair on its own ports, one PostgreSQL schema and one Redis prefix per
// service) and two gateways; every client lists both replicas (`ipv4:a,b`, round_robin), the
// simulator's included. Any replica can be killed with SIGKILL and started again on its ports.
import { freePort, startWorkspaceService, type WorkspaceService } from '@sms/testing';

export type BackEnd =
  'status-tracker' | 'interception-service' | 'reply-service' | 'webhook-dispatcher';
export const BACK_ENDS: readonly BackEnd[] = [
  'status-tracker',
  'interception-service',
  'reply-service',
  'webhook-dispatcher',
];

const GRPC_SERVICE_NAMES: Record<BackEnd, string> = {
  'status-tracker': 'sms.status.v1.StatusService',
  'interception-service': 'sms.interception.v1.InterceptionService',
  'reply-service': 'sms.reply.v1.ReplyService',
  'webhook-dispatcher': 'sms.webhook.v1.WebhookService',
};

/** Short BullMQ locks: a killed replica's jobs return after about these (see the test). */
export const QUEUE_LOCK_DURATION_MS = 3000;
export const QUEUE_STALLED_INTERVAL_MS = 2000;

export interface ReplicatedSystem {
  /** Both gateways (sessions and page tokens must work across them). */
  readonly gatewayUrls: readonly [string, string];
  /** Both replicas of each back end the simulator, playing the sending service, calls. */
  readonly targets: { status: string; interception: string; reply: string };
  readonly accountsEnv: NodeJS.ProcessEnv;
  /** Both replicas of a back end (index 0 and 1; 1 is the one the test kills). */
  replicas(name: BackEnd): readonly [WorkspaceService, WorkspaceService];
  /** The schema every replica of a back end uses. */
  schemaOf(name: BackEnd): { databaseUrl: string; schema: string };
  /** SIGKILL to replica 1 of the back end. */
  killReplica(name: BackEnd): Promise<void>;
  /** Replica 1 again, on its ports; resolves once it is healthy. */
  restartReplica(name: BackEnd): Promise<void>;
  output(): string;
  cleanUp(): Promise<void>;
}

export async function startReplicatedSystem(): Promise<ReplicatedSystem> {
  const ports = new Map<string, { grpcPort: number; httpPort: number }>();
  const portsOf = async (key: string) => {
    if (!ports.has(key)) ports.set(key, { grpcPort: await freePort(), httpPort: await freePort() });
    return ports.get(key)!;
  };
  for (const name of BACK_ENDS) for (const index of [0, 1]) await portsOf(`${name}#${index}`);
  for (const key of ['gateway#0', 'gateway#1']) await portsOf(key);
  const target = (key: string) => `127.0.0.1:${ports.get(key)!.grpcPort}`;
  const both = (name: BackEnd) => `ipv4:${target(`${name}#0`)},${target(`${name}#1`)}`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    STATUS_GRPC_TARGET: both('status-tracker'),
    INTERCEPTION_GRPC_TARGET: both('interception-service'),
    REPLY_GRPC_TARGET: both('reply-service'),
    WEBHOOK_GRPC_TARGET: both('webhook-dispatcher'),
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    RATE_LIMIT_PER_MINUTE: '100000',
    QUEUE_LOCK_DURATION_MS: String(QUEUE_LOCK_DURATION_MS),
    QUEUE_STALLED_INTERVAL_MS: String(QUEUE_STALLED_INTERVAL_MS),
    // Hand-overs refused by a dying replica retry soon; rows a crash left are re-armed soon.
    OUTBOX_BACKOFF_MS: '200',
    OUTBOX_MAX_BACKOFF_MS: '2000',
    OUTBOX_RELAY_INTERVAL_MS: '1000',
    OUTBOX_RELAY_AFTER_MS: '1000',
    // Replies stored with attribution pending (status-tracker replica gone mid-call) retry soon.
    MAINTENANCE_INTERVAL_MS: '1000',
  };
  const running = new Map<string, WorkspaceService>();
  const start = async (app: string, index: number, replicaOf?: WorkspaceService) => {
    const service = await startWorkspaceService({
      app,
      label: `rep-${app}`,
      grpcService: GRPC_SERVICE_NAMES[app as BackEnd],
      env,
      ...ports.get(`${app}#${index}`)!,
      timeoutMs: 120_000,
      compiled: true,
      replicaOf,
    });
    running.set(`${app}#${index}`, service);
    return service;
  };
  const all = () => [...running.values()];
  const stopAll = async () => {
    // Replicas first: the first of each owns (and drops) the schema and the Redis keys.
    const replicas = [...running.entries()].filter(([key]) => !key.endsWith('#0'));
    await Promise.all(replicas.map(([, s]) => s.stop('SIGKILL')));
    await Promise.all(all().map((s) => s.stop('SIGKILL')));
  };
  try {
    // The first of each migrates its schema; then the second joins it.
    const firsts = [...BACK_ENDS, 'gateway'];
    const results = await Promise.allSettled(firsts.map((app) => start(app, 0)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const seconds = [...BACK_ENDS, 'gateway'];
    const more = await Promise.allSettled(
      seconds.map((app) => start(app, 1, running.get(`${app}#0`))),
    );
    const failedToo = more.find((r) => r.status === 'rejected');
    if (failedToo) throw failedToo.reason;
  } catch (error) {
    await stopAll();
    throw error;
  }
  const service = (key: string) => running.get(key)!;
  const gatewayUrl = (index: number) =>
    `http://127.0.0.1:${ports.get(`gateway#${index}`)!.httpPort}`;
  return {
    gatewayUrls: [gatewayUrl(0), gatewayUrl(1)],
    targets: {
      status: both('status-tracker'),
      interception: both('interception-service'),
      reply: both('reply-service'),
    },
    accountsEnv: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: service('gateway#0').schema.databaseUrl,
      DATABASE_SCHEMA: service('gateway#0').schema.schema,
    },
    replicas: (name) => [service(`${name}#0`), service(`${name}#1`)],
    schemaOf: (name) => service(`${name}#0`).schema,
    killReplica: async (name) => {
      await service(`${name}#1`).process.stop('SIGKILL');
    },
    restartReplica: async (name) => {
      const previous = service(`${name}#1`);
      const restarted = await start(name, 1, service(`${name}#0`));
      // Keep the killed one's output for failure messages.
      const output = previous.output();
      running.set(`${name}#1`, {
        ...restarted,
        output: () => `${output}\n--- restarted ---\n${restarted.output()}`,
      });
    },
    output: () =>
      [...running.entries()].map(([key, s]) => `--- ${key} ---\n${s.output()}`).join('\n'),
    cleanUp: stopAll,
  };
}
