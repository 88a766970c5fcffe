// What the interception benchmarks share: numbers to use, per-process CPU from /proc, and the
// measure loop (warm-up, then `concurrency` callers for a duration; latencies, errors, CPU).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tryNormalizePhone } from '@sms/domain-phone';

const WARMUP_MS = 500;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface Measured {
  readonly concurrency: number;
  readonly calls: number;
  readonly errors: number;
  readonly callsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Cores used during the measurement: this process, the server's and Redis'. */
  readonly cpu: { readonly client: number; readonly server: number; readonly redis: number };
}

/** `count` valid UK numbers from +44<start> up. */
export function validPhones(start: number, count: number): string[] {
  const phones: string[] = [];
  for (let n = start; phones.length < count; n += 1) {
    const result = tryNormalizePhone(`+44${n}`);
    if (result.ok) phones.push(result.e164);
  }
  return phones;
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Warms up for half a second, then keeps `concurrency` calls in flight for `durationMs`.
 * `label` names the step in the error line printed when calls failed.
 */
export async function measure(
  label: string,
  concurrency: number,
  durationMs: number,
  pids: { readonly server: number; readonly redis: number },
  call: () => Promise<unknown>,
): Promise<Measured> {
  const warmupEnd = Date.now() + WARMUP_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < warmupEnd) await call().catch(() => undefined);
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  let lastError = '';
  const clientCpu = process.cpuUsage();
  const serverCpu = processCpuSeconds(pids.server);
  const redisCpu = processCpuSeconds(pids.redis);
  const started = process.hrtime.bigint();
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t = process.hrtime.bigint();
        try {
          await call();
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch (error) {
          errors += 1;
          lastError = error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const client = process.cpuUsage(clientCpu);
  latencies.sort((a, b) => a - b);
  if (errors)
    process.stdout.write(`${label} x${concurrency}: ${errors} errors, last: ${lastError}\n`);
  return {
    concurrency,
    calls: latencies.length,
    errors,
    callsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpu: {
      client: (client.user + client.system) / 1e6 / seconds,
      server: (processCpuSeconds(pids.server) - serverCpu) / seconds,
      redis: (processCpuSeconds(pids.redis) - redisCpu) / seconds,
    },
  };
}
