// The whole system as five separate processes on free ports, each with its own PostgreSQL schema
// and Redis prefix, wired to each other through their *_GRPC_TARGET variables.
import { freePort, startWorkspaceService, type WorkspaceService } from '@sms/testing';

export type ServiceName =
  'status-tracker' | 'interception-service' | 'reply-service' | 'webhook-dispatcher' | 'gateway';

const GRPC_SERVICE_NAMES: Partial<Record<ServiceName, string>> = {
  'status-tracker': 'sms.status.v1.StatusService',
  'interception-service': 'sms.interception.v1.InterceptionService',
  'reply-service': 'sms.reply.v1.ReplyService',
  'webhook-dispatcher': 'sms.webhook.v1.WebhookService',
};

export interface RunningSystem {
  readonly gatewayUrl: string;
  readonly targets: { status: string; interception: string; reply: string; webhook: string };
  /** Each service's Prometheus endpoint. */
  readonly metricsUrls: Record<ServiceName, string>;
  /** Environment for the gateway's accounts CLI (its database schema). */
  readonly accountsEnv: NodeJS.ProcessEnv;
  /** Every process's output so far, for failure messages. */
  output(name?: ServiceName): string;
  /** SIGTERM to each service (gateway first); their exits. */
  stop(): Promise<Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>>;
  /** Kills anything still running, drops the schemas and the Redis keys. */
  cleanUp(): Promise<void>;
}

const ORDER: readonly ServiceName[] = [
  'status-tracker',
  'interception-service',
  'reply-service',
  'webhook-dispatcher',
  'gateway',
];

/** `extraEnv` is added to every service's environment (e.g. the OTLP endpoint). */
export async function startSystem(extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const ports = new Map<ServiceName, { grpcPort: number; httpPort: number }>();
  for (const name of ORDER)
    ports.set(name, { httpPort: await freePort(), grpcPort: await freePort() });
  const targetOf = (name: ServiceName) => `127.0.0.1:${ports.get(name)!.grpcPort}`;
  const targets = {
    status: targetOf('status-tracker'),
    interception: targetOf('interception-service'),
    reply: targetOf('reply-service'),
    webhook: targetOf('webhook-dispatcher'),
  };
  const env: Record<string, string> = {
    LOG_LEVEL: 'info',
    STATUS_GRPC_TARGET: targets.status,
    INTERCEPTION_GRPC_TARGET: targets.interception,
    REPLY_GRPC_TARGET: targets.reply,
    WEBHOOK_GRPC_TARGET: targets.webhook,
    // Receivers of the tests listen on this machine, over http.
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
    // The test reads every message one by one through the gateway.
    RATE_LIMIT_PER_MINUTE: '100000',
    // A lost outbox job would otherwise wait 10 s before the relay picks it up again.
    OUTBOX_RELAY_INTERVAL_MS: '1000',
    OUTBOX_RELAY_AFTER_MS: '1000',
    ...extraEnv,
  };

  // Each: migrations by command, as in production, then the service; all five at once, from the
  // build under dist/ on plain node, exactly what the images run (`npm test` builds first).
  const starts = await Promise.allSettled(
    ORDER.map((name) =>
      startWorkspaceService({
        app: name,
        label: `e2e-${name}`,
        grpcService: GRPC_SERVICE_NAMES[name],
        env,
        ...ports.get(name)!,
        timeoutMs: 120_000,
        compiled: true,
      }),
    ),
  );
  const services = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    throw failed.reason;
  }
  const service = (name: ServiceName): WorkspaceService => services.find((s) => s.app === name)!;

  return {
    gatewayUrl: `http://127.0.0.1:${service('gateway').httpPort}`,
    targets,
    metricsUrls: Object.fromEntries(
      ORDER.map((name) => [name, `http://127.0.0.1:${service(name).httpPort}/metrics`]),
    ) as Record<ServiceName, string>,
    accountsEnv: {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: service('gateway').schema.databaseUrl,
      DATABASE_SCHEMA: service('gateway').schema.schema,
    },
    output: (name) =>
      services
        .filter((s) => name === undefined || s.app === name)
        .map((s) => `--- ${s.app} ---\n${s.output()}`)
        .join('\n'),
    stop: async () => {
      const exits: Partial<
        Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>
      > = {};
      // The gateway first (it calls the others), then the rest together.
      for (const group of [
        ['gateway'],
        ['status-tracker', 'interception-service', 'reply-service'],
      ] as const) {
        await Promise.all(
          group.map(async (name) => {
            exits[name] = await service(name).process.stop('SIGTERM');
          }),
        );
      }
      return exits as Record<ServiceName, { code: number | null; signal: NodeJS.Signals | null }>;
    },
    // Kills what still runs; each drops its schema and deletes its Redis keys.
    cleanUp: async () => {
      await Promise.all(services.map((s) => s.stop('SIGKILL')));
    },
  };
}
