import { performance } from 'node:perf_hooks';

// Small helpers shared by the status-tracker benchmarks.

export { COMPILED_SERVICES, flag, hasFlag } from '../flags';

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `work` `samples` times one at a time; p50/p95 in ms. */
export async function latency(
  samples: number,
  work: () => Promise<unknown>,
): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * Runs each of `works` once in turn, `samples` rounds: p50/p95 of each, in ms. Latencies compared
 * this way see the same load, where runs one after the other on a shared machine do not.
 */
export async function interleaved(
  samples: number,
  works: readonly (() => Promise<unknown>)[],
): Promise<{ p50: number; p95: number }[]> {
  const times = works.map(() => [] as number[]);
  for (let i = 0; i < samples; i++) {
    for (const [index, work] of works.entries()) {
      const start = performance.now();
      await work();
      times[index].push(performance.now() - start);
    }
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    return { p50: percentile(list, 50), p95: percentile(list, 95) };
  });
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
