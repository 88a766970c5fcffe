import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServiceProcessOptions {
  /**
   * Run the build under dist/ with plain `node`, exactly what the images run (`npm run build`
   * first), instead of the sources through the swc hook.
   */
  readonly compiled?: boolean;
  /** Options for node itself, before the script (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts a workspace TypeScript entry point (e.g. `apps/status-tracker/src/main.ts`) as a real
 * process, with exactly the given environment (plus PATH).
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): ServiceProcess {
  const script = options.compiled
    ? [join(WORKSPACE_ROOT, 'dist', entry.replace(/\.ts$/, '.js'))]
    : ['-r', join(WORKSPACE_ROOT, 'tools/runtime/register.cjs'), join(WORKSPACE_ROOT, entry)];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...script], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
