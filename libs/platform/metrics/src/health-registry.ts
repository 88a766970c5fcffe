import { Injectable } from '@nestjs/common';

/** Resolves when the dependency is usable; rejects (or times out) otherwise. */
export type HealthCheck = () => Promise<unknown>;

export interface HealthReport {
  readonly status: 'ok' | 'failing' | 'draining';
  /** 'ok' or what went wrong. */
  readonly checks: Record<string, string>;
}

/**
 * Dependencies register a check at start-up (PostgreSQL, Redis, ...); `/healthz` runs them all.
 * Draining (graceful shutdown) reports unhealthy at once so load balancers stop sending work.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
      ),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries.some(([, result]) => result !== 'ok');
    return { status: this.draining ? 'draining' : failing ? 'failing' : 'ok', checks };
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
