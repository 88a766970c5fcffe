// `npm run bench [-- --full] [--only <text>] [--no-build]`: every benchmark, one after the other,
// then one table of the SPEC 7 lines: measure, value, baseline of the same run, ratio, goal, met.
// Quick by default (smaller data, shorter steps: a few minutes in all); --full uses SPEC 7's sizes.
// Services run from the compiled build (`npm run build`, done first unless --no-build), as the
// images run them. Each benchmark's own output goes to tmp/bench/<name>.log.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { judge, readReport, reportFileEnv, type Measure } from './report';

interface Benchmark {
  readonly name: string;
  readonly script: string;
  readonly quick: readonly string[];
  readonly full: readonly string[];
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'interception-check',
    script: 'bench/interception/check.bench.ts',
    quick: ['--quick'],
    full: [],
  },
  {
    name: 'interception-admit',
    script: 'bench/interception/admit.bench.ts',
    quick: ['--quick'],
    full: [],
  },
  {
    name: 'interception-expiry',
    script: 'bench/interception/expiry.bench.ts',
    quick: ['--entries', '20000', '--failures', '500'],
    full: [],
  },
  {
    name: 'status-ingest',
    script: 'bench/status/ingest.ts',
    quick: ['--events', '60000', '--callers', '4'],
    full: ['--events', '200000', '--callers', '4'],
  },
  {
    name: 'status-list',
    script: 'bench/status/list-messages.ts',
    quick: ['--rows', '300000', '--samples', '30'],
    full: ['--rows', '10000000'],
  },
  {
    name: 'status-stats',
    script: 'bench/status/stats.ts',
    quick: ['--rows', '300000', '--samples', '30'],
    full: ['--rows', '10000000'],
  },
  {
    name: 'reply-ingest',
    script: 'bench/reply/ingest.ts',
    quick: ['--replies', '20000'],
    full: ['--replies', '100000'],
  },
  {
    name: 'webhooks-latency',
    script: 'bench/webhooks/latency.ts',
    quick: ['--rate', '200', '--seconds', '2', '--wait', '120'],
    full: ['--rate', '1000', '--seconds', '2', '--wait', '300'],
  },
  {
    name: 'gateway-rest',
    script: 'bench/gateway/rest-vs-grpc.bench.ts',
    quick: ['--seconds', '3'],
    full: ['--seconds', '10'],
  },
  {
    name: 'gateway-export',
    script: 'bench/gateway/export-memory.bench.ts',
    quick: ['--rows', '100000'],
    full: ['--rows', '1000000'],
  },
];

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'tmp', 'bench');

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function runBenchmark(
  benchmark: Benchmark,
  full: boolean,
): Promise<{ measures: Measure[]; ok: boolean; seconds: number }> {
  const reportFile = join(OUT, `${benchmark.name}.jsonl`);
  const logFile = join(OUT, `${benchmark.name}.log`);
  rmSync(reportFile, { force: true });
  const log = createWriteStream(logFile);
  const started = Date.now();
  const args = ['-r', './tools/runtime/register.cjs', benchmark.script];
  args.push(...(full ? benchmark.full : benchmark.quick));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...reportFileEnv(reportFile) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  log.end();
  return {
    measures: readReport(reportFile),
    ok: code === 0,
    seconds: (Date.now() - started) / 1000,
  };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-GB');
  return value.toFixed(2);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [
    line(rows[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const only = option('only');
  mkdirSync(OUT, { recursive: true });
  if (!process.argv.includes('--no-build')) {
    process.stdout.write('building (npm run build) …\n');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const selected = BENCHMARKS.filter((b) => !only || b.name.includes(only));
  const load: number[] = [loadavg()[0]];
  const rows: string[][] = [
    ['benchmark', 'measure', 'value', 'baseline (same run)', 'ratio', 'SPEC 7 goal', 'met'],
  ];
  const startedAt = new Date();
  let allMet = true;
  for (const benchmark of selected) {
    process.stdout.write(`${benchmark.name} (${benchmark.script}) … `);
    const { measures, ok, seconds } = await runBenchmark(benchmark, full);
    load.push(loadavg()[0]);
    process.stdout.write(`${ok ? 'done' : 'FAILED'} in ${seconds.toFixed(0)} s\n`);
    if (!ok) {
      allMet = false;
      rows.push([
        benchmark.name,
        `failed: see tmp/bench/${benchmark.name}.log`,
        '',
        '',
        '',
        '',
        'no',
      ]);
    }
    for (const measure of measures) {
      const { ratio, met } = judge(measure);
      if (met === false) allMet = false;
      rows.push([
        benchmark.name,
        measure.measure,
        `${formatNumber(measure.value)} ${measure.unit}`,
        measure.baseline
          ? `${formatNumber(measure.baseline.value)} ${measure.unit} (${measure.baseline.label})`
          : '',
        ratio === null ? '' : ratio.toFixed(2),
        measure.goalText,
        met === null ? '' : met ? 'met' : 'NOT MET',
      ]);
    }
  }
  process.stdout.write(
    `\n${full ? 'Full' : 'Quick'} run started ${startedAt.toISOString()}, ` +
      `load average (1 min) ${load.map((l) => l.toFixed(1)).join(' → ')}, ` +
      `${process.version}, services compiled (dist/)\n\n${table(rows)}\n`,
  );
  process.exitCode = allMet ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(2);
});
