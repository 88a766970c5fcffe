import { Controller, Get, Header, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HealthRegistry } from './health-registry';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@Controller()
class ObservabilityController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly health: HealthRegistry,
  ) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.registry.contentType);
    res.send(await this.registry.metrics());
  }

  /** Liveness: the process answers. Never depends on PostgreSQL or Redis (no restart for them). */
  @Get('livez')
  @Header('Cache-Control', 'no-store')
  livez(@Res() res: Response): void {
    res.status(200).json({ status: 'alive' });
  }

  /** Readiness: the service can answer correctly now. `/healthz` is the same, kept for compatibility. */
  @Get(['readyz', 'healthz'])
  @Header('Cache-Control', 'no-store')
  async readyz(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'ok' || report.status === 'degraded' ? 200 : 503).json(report);
  }
}

/**
 * `/metrics` (Prometheus), `/livez`, `/readyz` (and `/healthz`, the same as `/readyz`) for one
 * service, and the registry its metrics go to.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: { service: string }): DynamicModule {
    const registry = new Registry();
    registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: registry });
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [ObservabilityController],
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }, HealthRegistry],
      exports: [METRICS_REGISTRY, HealthRegistry],
    };
  }
}
