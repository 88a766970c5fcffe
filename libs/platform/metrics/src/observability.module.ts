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

  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  async healthz(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  }
}

/** `/metrics` (Prometheus) and `/healthz` for one service, and the registry its metrics go to. */
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
