// Command-line flags shared by the benchmarks.

export function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** Services run from the tsc build under dist/ (as the images do) unless --source is given. */
export const COMPILED_SERVICES = { compiled: !hasFlag('source') } as const;

/**
 * NODE_OPTIONS each service runs with where it is deployed (deploy/kubernetes and
 * docker-compose.yml set the same): the benchmarks run the services that way too.
 */
export const DEPLOYED_NODE_OPTIONS: Readonly<Record<string, string>> = {
  gateway: '--max-old-space-size=128',
  'interception-service': '--max-old-space-size=160',
  'status-tracker': '--max-old-space-size=192 --max-semi-space-size=32',
  'reply-service': '--max-old-space-size=160',
};

/** `{ NODE_OPTIONS }` for a service as deployed, or as `--node-options '<…>'` says. */
export function deployedNodeOptions(app: string): { NODE_OPTIONS: string } {
  const index = process.argv.indexOf('--node-options');
  return {
    NODE_OPTIONS: index === -1 ? (DEPLOYED_NODE_OPTIONS[app] ?? '') : process.argv[index + 1],
  };
}
