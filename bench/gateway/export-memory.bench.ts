// Memory of a large CSV export: GET /v1/messages/export of one account's whole 30-day set,
// streamed by the gateway from keyset pages of ListMessages, with the gateway's RSS sampled
// every 100 ms from /proc. Baseline: the gateway's RSS after start-up and one list request.
//   node -r ./tools/runtime/register.cjs bench/gateway/export-memory.bench.ts [--rows 1000000]
//        [--reuse] [--compiled] [--node-options '--max-old-space-size=…']
// The rows all belong to one account (acct-0) so the export has --rows rows. Keeps schema
// bench_gateway_export (--reuse skips the generation). --compiled runs both services from dist/
// as the images do (`npm run build` first); --node-options replaces the gateway's NODE_OPTIONS
// (default: the image's, from GATEWAY_NODE_OPTIONS below). memory-probe.cjs, preloaded into the
// gateway, samples process.memoryUsage() so the figures split V8 heap from external buffers.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  startWorkspaceService,
  testInfrastructure,
  waitFor,
  type WorkspaceService,
} from '@sms/testing';
import { Client } from 'pg';
import { COMPILED_SERVICES } from '../flags';
import { report } from '../report';
import { flag, hasFlag, log } from '../status/bench-support';
import { generateMessages } from '../status/generate-messages';

const ROWS = flag('rows', 1_000_000);
const SCHEMA = 'bench_gateway_export';
/** NODE_OPTIONS the gateway's deployments set (deploy/kubernetes, docker-compose.yml). */
const GATEWAY_NODE_OPTIONS = '--max-old-space-size=128';
const PROBE_FILE = join(tmpdir(), `export-memory-probe-${process.pid}.jsonl`);

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** The largest value of each process.memoryUsage() field the probe saw, in MB. */
function probePeaks(): Record<string, number> {
  const peaks: Record<string, number> = {};
  if (!existsSync(PROBE_FILE)) return peaks;
  for (const line of readFileSync(PROBE_FILE, 'utf8').split('\n')) {
    if (!line) continue;
    for (const [field, bytes] of Object.entries(JSON.parse(line) as Record<string, number>))
      peaks[field] = Math.max(peaks[field] ?? 0, bytes / 1024 / 1024);
  }
  return peaks;
}

function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function main(): Promise<void> {
  const sql = new Client({ connectionString: testInfrastructure().databaseUrl });
  await sql.connect();
  const existing = await sql
    .query<{ n: string }>(`select count(*) as n from ${SCHEMA}.message`)
    .catch(() => undefined);
  if (hasFlag('reuse') && existing && Number(existing.rows[0]?.n) > 0) {
    log(`reusing ${SCHEMA} with ${Number(existing.rows[0]?.n).toLocaleString()} rows`);
  } else {
    log(`generating ${ROWS.toLocaleString()} rows of one account over 30 days ...`);
    await generateMessages(sql, { schema: SCHEMA, rows: ROWS, accounts: 1 });
  }
  const services: WorkspaceService[] = [];
  try {
    const status = await startWorkspaceService({
      app: 'status-tracker',
      label: 'bench-export-status',
      grpcService: '',
      env: { DATABASE_SCHEMA: SCHEMA, LOG_LEVEL: 'warn' },
      timeoutMs: 180_000,
      ...COMPILED_SERVICES,
    });
    services.push(status);
    const gateway = await startWorkspaceService({
      app: 'gateway',
      label: 'bench-export-gateway',
      env: {
        STATUS_GRPC_TARGET: status.target,
        RATE_LIMIT_PER_MINUTE: '100000000',
        GRPC_DEADLINE_MS: '30000',
        LOG_LEVEL: 'warn',
        NODE_OPTIONS: `${option('node-options') ?? GATEWAY_NODE_OPTIONS} --require ${resolve('bench/gateway/memory-probe.cjs')}`,
        MEMORY_PROBE_FILE: PROBE_FILE,
      },
      timeoutMs: 180_000,
      ...COMPILED_SERVICES,
    });
    services.push(gateway);
    // The generated rows belong to acct-0: give the gateway that account and a key of it.
    await sql.query(
      `insert into ${gateway.env['DATABASE_SCHEMA']}.account (id, name, created_at) values ('acct-0', 'bench', now())`,
    );
    const key = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '-r',
          './tools/runtime/register.cjs',
          'apps/gateway/src/accounts/accounts.cli.ts',
          'issue-key',
          '--account',
          'acct-0',
          '--json',
        ],
        { env: { PATH: process.env['PATH'] ?? '', ...gateway.env } },
      ).toString(),
    ) as { token: string };
    const authorization = `Bearer ${key.token}`;
    const base = `http://127.0.0.1:${gateway.httpPort}`;
    const pid = gateway.process.child.pid;

    // The first request may find the gateway still warming up on a loaded machine: retry it.
    const warm = await waitFor(
      async () => {
        const response = await fetch(`${base}/v1/messages?pageSize=500`, {
          headers: { authorization },
        });
        return response.status === 200 ? response : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1000, description: 'a first list answer from the gateway' },
    );
    await warm.arrayBuffer();
    const baseline = probePeaks();
    rmSync(PROBE_FILE, { force: true });
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 100);
    const started = performance.now();
    const response = await fetch(`${base}/v1/messages/export`, { headers: { authorization } });
    if (response.status !== 200 || !response.body)
      throw new Error(`export answered ${response.status}`);
    let bytes = 0;
    let lines = 0;
    const progress: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
        lines += 1;
        // RSS along the way: constant memory means a plateau, not a climb with the rows.
        if (lines % 100_000 === 1 && lines > 1)
          progress.push(`${lines - 1}: ${rssMb(pid).toFixed(0)} MB`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = rssMb(pid);
    log('');
    log('| what | value |');
    log('|---|---|');
    log(`| rows exported (without the header) | ${(lines - 1).toLocaleString()} |`);
    log(`| bytes | ${(bytes / 1e6).toFixed(1)} MB |`);
    log(
      `| time | ${seconds.toFixed(1)} s (${Math.round((lines - 1) / seconds).toLocaleString()} rows/s) |`,
    );
    log(`| gateway RSS before (baseline: started, one list request) | ${before.toFixed(0)} MB |`);
    log(`| gateway RSS peak during the export | ${peak.toFixed(0)} MB |`);
    log(`| gateway RSS after | ${after.toFixed(0)} MB |`);
    log(`| gateway RSS every 100,000 rows | ${progress.join(', ')} |`);
    log(`| status-tracker RSS after | ${rssMb(status.process.child.pid).toFixed(0)} MB |`);
    const peaks = probePeaks();
    for (const field of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'])
      log(
        `| gateway ${field} (process.memoryUsage) before / peak | ${(baseline[field] ?? 0).toFixed(0)} / ${(peaks[field] ?? 0).toFixed(0)} MB |`,
      );
    log(`| gateway NODE_OPTIONS | ${option('node-options') ?? GATEWAY_NODE_OPTIONS} |`);
    report({
      measure: `CSV export of ${(lines - 1).toLocaleString('en-GB')} rows: gateway RSS peak`,
      value: peak,
      unit: 'MB',
      baseline: { label: 'RSS before the export', value: before },
      goal: { kind: 'at-most', limit: 250 },
      goalText: 'constant memory, ≤ 250 MB',
    });
    log(
      `| load average (1 / 5 / 15 min) at the end | ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' / ')} |`,
    );
  } finally {
    rmSync(PROBE_FILE, { force: true });
    for (const service of services.reverse()) await service.stop('SIGTERM');
    await sql.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
