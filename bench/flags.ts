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
