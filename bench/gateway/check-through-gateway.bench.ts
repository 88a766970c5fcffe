// What the gateway adds to a call: GET /v1/block-list/check (API-key auth from the in-memory
// cache, Redis rate limit, validation, gRPC Check, JSON mapping) against the same Check called
// directly over gRPC on the same interception-service process — same machine, same run.
// `node -r ./tools/runtime/register.cjs bench/gateway/check-through-gateway.bench.ts`
// Needs PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override).
// Bounded: about 30 s; cleans its schemas, keys and processes up.
import { execFileSync } from 'node:child_process';
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { tryNormalizePhone } from '@sms/domain-phone';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { startWorkspaceService, type WorkspaceService } from '@sms/testing';

const CONCURRENCIES = [1, 16];
const MEASURE_MS = 4000;
const WARMUP_MS = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<{ perSecond: number; p50: number; p99: number }> {
  const warmupEnd = Date.now() + WARMUP_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; Date.now() < warmupEnd; i += concurrency) await call(i);
    }),
  );
  const latencies: number[] = [];
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
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(latencies.length / ((Date.now() - start) / 1000)),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main(): Promise<void> {
  const services: WorkspaceService[] = [];
  try {
    const interception = await startWorkspaceService({
      app: 'interception-service',
      label: 'bench-gw-interception',
      grpcService: '',
    });
    services.push(interception);
    const gateway = await startWorkspaceService({
      app: 'gateway',
      label: 'bench-gw-gateway',
      env: { INTERCEPTION_GRPC_TARGET: interception.target, RATE_LIMIT_PER_MINUTE: '100000000' },
    });
    services.push(gateway);
    const { target } = interception;
    const gatewayEnv = gateway.env;
    const gatewayHttp = gateway.httpPort;

    const cli = (...args: string[]) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-r',
            './tools/runtime/register.cjs',
            'apps/gateway/src/accounts/accounts.cli.ts',
            ...args,
          ],
          { env: { PATH: process.env['PATH'] ?? '', ...gatewayEnv } },
        ).toString(),
      ) as Record<string, string>;
    const { accountId } = cli('create-account', '--name', 'bench');
    const key = cli('issue-key', '--account', accountId);
    const authorization = `Bearer ${key['keyId']}.${key['secret']}`;

    const phones: string[] = [];
    for (let n = 7911100000; phones.length < 1000; n += 1) {
      const result = tryNormalizePhone(`+44${n}`);
      if (result.ok) phones.push(result.e164);
    }
    const grpc = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 5000, callerToken: DEVELOPMENT_GRPC_TOKENS.sender },
    );
    const base = `http://127.0.0.1:${gatewayHttp}/v1/block-list/check?phone=`;
    const viaGateway = async (i: number) => {
      const response = await fetch(`${base}${encodeURIComponent(phones[i % phones.length])}`, {
        headers: { authorization },
      });
      if (response.status !== 200) throw new Error(`gateway answered ${response.status}`);
      await response.arrayBuffer();
    };
    const direct = (i: number) => grpc.check({ accountId, phone: phones[i % phones.length] });

    console.log('target                       in flight   calls/s     p50 ms    p99 ms');
    for (const concurrency of CONCURRENCIES) {
      for (const [name, call] of [
        ['gRPC Check (baseline)', direct],
        ['gateway GET check', viaGateway],
      ] as const) {
        const result = await measure(concurrency, call);
        console.log(
          `${name.padEnd(28)} ${String(concurrency).padStart(9)} ${String(result.perSecond).padStart(9)} ${result.p50.toFixed(2).padStart(10)} ${result.p99.toFixed(2).padStart(9)}`,
        );
      }
    }
    grpc.close();
  } finally {
    // Gateway first (it calls interception); each drops its schema and keys.
    for (const service of services.reverse()) await service.stop('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
