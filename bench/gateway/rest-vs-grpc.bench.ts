// What the gateway adds to a read: GET /v1/block-list/check and GET /v1/messages (API-key auth
// from the in-memory cache, Redis rate limit, validation, the gRPC call, JSON mapping) against
// the same gRPC call made directly on the same service process — same machine, same run.
// `node -r ./tools/runtime/register.cjs bench/gateway/rest-vs-grpc.bench.ts [--seconds 4]
//   [--source] [--cpu-prof <dir>]` (services run compiled from dist/ unless --source: `npm run
//   build` first; --cpu-prof: the gateway runs under V8's CPU profiler and writes a .cpuprofile
//   into <dir> when it stops, for bench/profile-summary.ts)
// Needs PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override).
// The check is also measured through bench/gateway/bare-proxy.ts (node:http onto the same gRPC
// call, nothing else): the floor of any REST hop, so the gateway's own cost is the difference.
// Bounded: about 50 s; cleans its schemas, keys and processes up.
import { execFileSync } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_SERVICES, toTimestamp, type interceptionV1, type statusV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import {
  freePort,
  startServiceProcess,
  startWorkspaceService,
  waitFor,
  type ServiceProcess,
  type WorkspaceService,
} from '@sms/testing';
import { COMPILED_SERVICES, deployedNodeOptions, flag } from '../flags';
import { processCpuSeconds } from '../interception/measure';
import { report, reportRss, rssMb } from '../report';

const CONCURRENCIES = [1, 16];
const GOAL_CONCURRENCY = 16;
const MEASURE_MS = flag('seconds', 4) * 1000;
const WARMUP_MS = 500;
const MESSAGES = 2_000;
const PROFILE_AT = process.argv.indexOf('--cpu-prof');
const PROFILE_DIR = PROFILE_AT === -1 ? undefined : process.argv[PROFILE_AT + 1];

// The REST client: node:http with keep-alive connections, as lean per call as the gRPC client
// it is compared with. Node's fetch (undici) cost about twice the gRPC client's CPU per call,
// and on 2 cores the client's CPU comes out of the servers' (bench/README.md, gateway-rest).
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** GET with the body read to its end; answers the status code. */
function httpGet(url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { agent: keepAlive, headers: { authorization } },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU ms per call of each process (the bench's own client included): robust under load. */
  cpuMsPerCall: Record<string, number>;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** When a process started (epoch ms, to a clock tick): about time 0 of its --cpu-prof profile. */
function processStartMs(pid: number): number {
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  const startTicks = Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19],
  );
  return bootSeconds * 1000 + (startTicks * 1000) / CLOCK_TICKS;
}

async function measure(
  concurrency: number,
  call: (i: number) => Promise<unknown>,
  pids: Readonly<Record<string, number>>,
): Promise<Measured> {
  const warmupEnd = Date.now() + WARMUP_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; Date.now() < warmupEnd; i += concurrency) await call(i);
    }),
  );
  const latencies: number[] = [];
  const cpuBefore = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, processCpuSeconds(pid)]),
  );
  const clientBefore = process.cpuUsage();
  const start = Date.now();
  const end = start + MEASURE_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; Date.now() < end; i += concurrency) {
        const t0 = process.hrtime.bigint();
        await call(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const client = process.cpuUsage(clientBefore);
  const cpuMsPerCall: Record<string, number> = {
    client: (client.user + client.system) / 1000 / latencies.length,
  };
  for (const [name, pid] of Object.entries(pids)) {
    cpuMsPerCall[name] = ((processCpuSeconds(pid) - cpuBefore[name]) * 1000) / latencies.length;
  }
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(latencies.length / ((Date.now() - start) / 1000)),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerCall,
  };
}

/** The accounts CLI of the build, as an operator runs it; `--json` prints one JSON line. */
function accountsCli(env: Record<string, string>, ...args: string[]): Record<string, string> {
  const cli = COMPILED_SERVICES.compiled
    ? [join('dist', 'apps/gateway/src/accounts/accounts.cli.js')]
    : ['-r', './tools/runtime/register.cjs', 'apps/gateway/src/accounts/accounts.cli.ts'];
  const output = execFileSync(process.execPath, [...cli, ...args, '--json'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  return JSON.parse(output.toString()) as Record<string, string>;
}

async function main(): Promise<void> {
  const services: WorkspaceService[] = [];
  let bareProxy: ServiceProcess | undefined;
  try {
    const interception = await startWorkspaceService({
      app: 'interception-service',
      label: 'bench-gw-interception',
      grpcService: '',
      env: deployedNodeOptions('interception-service'),
      ...COMPILED_SERVICES,
    });
    services.push(interception);
    const status = await startWorkspaceService({
      app: 'status-tracker',
      label: 'bench-gw-status',
      grpcService: '',
      env: deployedNodeOptions('status-tracker'),
      ...COMPILED_SERVICES,
    });
    services.push(status);
    const gateway = await startWorkspaceService({
      app: 'gateway',
      label: 'bench-gw-gateway',
      env: {
        INTERCEPTION_GRPC_TARGET: interception.target,
        STATUS_GRPC_TARGET: status.target,
        RATE_LIMIT_PER_MINUTE: '100000000',
        ...deployedNodeOptions('gateway'),
      },
      nodeArgs: PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
      ...COMPILED_SERVICES,
    });
    services.push(gateway);
    const gatewayRssAfterStart = rssMb(gateway.process.child.pid!);

    const { accountId } = accountsCli(gateway.env, 'create-account', '--name', 'bench');
    const { token } = accountsCli(gateway.env, 'issue-key', '--account', accountId);
    const authorization = `Bearer ${token}`;

    const phones: string[] = [];
    for (let n = 7911100000; phones.length < 1000; n += 1) {
      const result = tryNormalizePhone(`+44${n}`);
      if (result.ok) phones.push(result.e164);
    }
    const interceptionClient = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target: interception.target,
        deadlineMs: 5000,
        callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
      },
    );
    const statusClient = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: status.target,
      deadlineMs: 5000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
    const statusAsGateway = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: status.target,
      deadlineMs: 5000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    // A page's worth of messages for the account, so GET /v1/messages maps 50 rows a call.
    const at = new Date(Date.now() - 60_000);
    for (let first = 0; first < MESSAGES; first += 500) {
      await statusClient.recordEvents({
        events: Array.from({ length: 500 }, (_, i) => ({
          eventId: '',
          messageId: `gw-bench-${first + i}`,
          occurredAt: toTimestamp(at),
          accepted: {
            accountId,
            smsUser: 'bench',
            recipient: phones[(first + i) % phones.length],
            entries: 1,
            templateId: 'tpl-1',
            templateType: 'TEMPLATE_TYPE_NOTIFICATION' as never,
            labels: [],
          },
        })),
      });
    }

    // The floor: node:http straight onto the same gRPC call (bench/gateway/bare-proxy.ts).
    const barePort = await freePort();
    bareProxy = startServiceProcess('bench/gateway/bare-proxy.ts', {
      BARE_PROXY_PORT: String(barePort),
      BARE_PROXY_ACCOUNT: accountId,
      INTERCEPTION_GRPC_TARGET: interception.target,
      ...deployedNodeOptions('gateway'),
    });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${barePort}/`)).status > 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'bare proxy listening',
    });
    const bareUrl = `http://127.0.0.1:${barePort}/v1/block-list/check?phone=`;

    const checkUrl = `http://127.0.0.1:${gateway.httpPort}/v1/block-list/check?phone=`;
    const messagesUrl = `http://127.0.0.1:${gateway.httpPort}/v1/messages?pageSize=50`;
    const rest = (url: (i: number) => string) => async (i: number) => {
      const status = await httpGet(url(i), authorization);
      if (status !== 200) throw new Error(`gateway answered ${status}`);
    };
    const pairs = [
      {
        read: 'GET /v1/block-list/check',
        grpcName: 'gRPC Check',
        direct: (i: number) =>
          interceptionClient.check({ accountId, phone: phones[i % phones.length] }),
        viaGateway: rest((i) => `${checkUrl}${encodeURIComponent(phones[i % phones.length])}`),
        floor: rest((i) => `${bareUrl}${encodeURIComponent(phones[i % phones.length])}`),
      },
      {
        read: 'GET /v1/messages (50 a page)',
        grpcName: 'gRPC ListMessages',
        direct: () =>
          statusAsGateway.listMessages({ accountId, pageSize: 50 } as statusV1.ListMessagesRequest),
        viaGateway: rest(() => messagesUrl),
        floor: undefined,
      },
    ];

    let gatewayRssPeak = rssMb(gateway.process.child.pid!);
    const gatewayPid = gateway.process.child.pid!;
    const sampler = setInterval(() => {
      gatewayRssPeak = Math.max(gatewayRssPeak, rssMb(gatewayPid) || 0);
    }, 200);
    const pids = {
      gateway: gatewayPid,
      interception: interception.process.child.pid!,
      status: status.process.child.pid!,
      bare: bareProxy.child.pid!,
    };
    console.log(
      'target                          in flight   calls/s     p50 ms    p99 ms   ratio' +
        '   CPU ms per call: client / gateway / interception / status / bare proxy',
    );
    for (const pair of pairs) {
      for (const concurrency of CONCURRENCIES) {
        const direct = await measure(concurrency, pair.direct, pids);
        const stepStart = Date.now();
        const viaGateway = await measure(concurrency, pair.viaGateway, pids);
        if (PROFILE_DIR) {
          // The window of this step in the gateway's profile (bench/profile-summary.ts --from-ms).
          const zero = processStartMs(gatewayPid);
          console.log(
            `  (${pair.read}, ${concurrency} in flight: gateway profile ${stepStart - zero}..${Date.now() - zero} ms)`,
          );
        }
        const floor = pair.floor ? await measure(concurrency, pair.floor, pids) : undefined;
        for (const [name, result] of [
          [`${pair.grpcName} (baseline)`, direct],
          [pair.read, viaGateway],
          ...(floor ? [['  bare node:http → gRPC (floor)', floor] as const] : []),
        ] as const) {
          console.log(
            `${name.padEnd(31)} ${String(concurrency).padStart(9)} ${String(result.perSecond).padStart(9)} ` +
              `${result.p50.toFixed(2).padStart(10)} ${result.p99.toFixed(2).padStart(9)} ` +
              `${(result.perSecond / direct.perSecond).toFixed(2).padStart(7)}   ` +
              Object.values(result.cpuMsPerCall)
                .map((ms) => ms.toFixed(3))
                .join(' / '),
          );
        }
        if (concurrency === GOAL_CONCURRENCY) {
          report({
            measure: `${pair.read}, ${concurrency} in flight`,
            value: viaGateway.perSecond,
            unit: 'calls/s',
            baseline: { label: pair.grpcName, value: direct.perSecond },
            goal: { kind: 'ratio-at-least', ratio: 0.5 },
            goalText: '≥ 0.50 of direct gRPC',
          });
        }
      }
    }
    clearInterval(sampler);
    console.log(`gateway RSS peak during the run: ${gatewayRssPeak.toFixed(0)} MB`);
    reportRss('gateway', 'after start-up', gatewayRssAfterStart);
    reportRss('gateway', 'peak under REST load', gatewayRssPeak);
    interceptionClient.close();
    statusClient.close();
    statusAsGateway.close();
  } finally {
    keepAlive.destroy();
    await bareProxy?.stop('SIGTERM');
    // Gateway first (it calls the others); each drops its schema and keys.
    for (const service of services.reverse()) await service.stop('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
