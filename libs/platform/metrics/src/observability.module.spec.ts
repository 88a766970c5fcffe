import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Counter, type Registry } from 'prom-client';
import { HealthRegistry, METRICS_REGISTRY, ObservabilityModule } from './index';

describe('ObservabilityModule over HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'test-service' })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterEach(() => app.close());

  it('serves Prometheus metrics with the service label', async () => {
    const registry = app.get<Registry>(METRICS_REGISTRY);
    new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('test_things_total{service="test-service"} 3');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('reports 200 when every check passes, 503 naming the failing one', async () => {
    const health = app.get(HealthRegistry);
    health.register('postgres', async () => undefined);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    health.register('redis', async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'failing',
      checks: { postgres: 'ok', redis: 'connect ECONNREFUSED' },
    });
  });

  it('reports draining during shutdown', async () => {
    app.get(HealthRegistry).startDraining();
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'draining' });
  });
});
