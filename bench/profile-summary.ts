// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time and the time by
// package, optionally within a window of the profile (ms from its start), e.g. the steps of one
// benchmark without the start-up. `node -r ./tools/runtime/register.cjs bench/profile-summary.ts
// <file.cpuprofile> [--from-ms N] [--to-ms N] [--top 30] [--by-caller]`
// --by-caller: "by package" charges time spent in node core and V8 (socket writes, timers,
// hashing) to the innermost own or npm frame that called it, so a request's cost shows by who
// caused it (express's response write, grpc-js's call, ioredis) rather than as one "node core".
import { readFileSync } from 'node:fs';
import { flag } from './flags';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (!url) return '(native/V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node core';
  const own = /\/(apps|libs)\/(.+?)\/(src\/)?/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function main(): void {
  const file = process.argv[2];
  if (!file)
    throw new Error('usage: profile-summary.ts <file.cpuprofile> [--from-ms N] [--to-ms N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const fromMs = process.argv.includes('--from-ms') ? flag('from-ms', 0) : 0;
  const toMs = process.argv.includes('--to-ms') ? flag('to-ms', 1) : Number.POSITIVE_INFINITY;
  const top = flag('top', 30);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byCaller = process.argv.includes('--by-caller');
  /** The package of the innermost frame outside node core and V8, or the frame's own. */
  const callerPackage = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url && !url.startsWith('node:')) return where(url);
    }
    return where(byId.get(id)!.callFrame.url);
  };
  const selfUs = new Map<number, number>();
  let at = 0;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i];
    const ms = at / 1000;
    if (ms < fromMs || ms > toMs) continue;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
    total += delta;
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const name = `${frame.functionName || '(anonymous)'} ${where(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const special = frame.functionName.startsWith('(');
    const pkg = byCaller && !special ? callerPackage(id) : where(frame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;
  const lines = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(
        ([name, us]) =>
          `${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      )
      .join('\n');
  process.stdout.write(
    `window ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms\n\n` +
      `by package (self time, share of busy):\n${lines(byPackage, 25)}\n\n` +
      `top ${top} functions by self time:\n${lines(byFunction, top)}\n`,
  );
}

main();
