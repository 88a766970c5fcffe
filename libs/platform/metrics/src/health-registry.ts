import { Injectable } from '@nestjs/common';
import { withDeadline } from '@sms/platform-deadline';

/** Resolves when the dependency is usable; rejects (or times out) otherwise. */
export type HealthCheck = () => Promise<unknown>;

/** Whether the service can answer correctly, given which checks passed. */
export type ReadinessRule = (passed: (check: string) => boolean) => boolean;

export interface HealthReport {
  /** degraded: some check fails but the readiness rule still holds (e.g. a fallback serves). */
  readonly status: 'ok' | 'degraded' | 'failing' | 'draining';
  /** 'ok' or what went wrong. */
  readonly checks: Record<string, string>;
}

/**
 * Dependencies register a check at start-up (PostgreSQL, Redis, ...); readiness (`/readyz`,
 * `/healthz`) runs them all and, by default, needs every one to pass; a service whose fallback
 * serves without one (interception-service: Redis or PostgreSQL) sets its own rule.
 * Draining (graceful shutdown) reports unready at once so load balancers stop sending work.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;
  private rule: ReadinessRule = () => true;
  private ruleSet = false;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  /** Replaces "every check passes" as the condition for being ready. */
  setReadinessRule(rule: ReadinessRule): void {
    this.rule = rule;
    this.ruleSet = true;
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
    const allPass = entries.every(([, result]) => result === 'ok');
    const ready = this.ruleSet ? this.rule((name) => checks[name] === 'ok') : allPass;
    const status = this.draining ? 'draining' : !ready ? 'failing' : allPass ? 'ok' : 'degraded';
    return { status, checks };
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<string> {
  try {
    await withDeadline(check(), timeoutMs);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
