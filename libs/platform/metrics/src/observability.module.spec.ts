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

  it('answers /livez without running checks, and /readyz as /healthz', async () => {
    const health = app.get(HealthRegistry);
    health.register('postgres', async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const live = await fetch(`${baseUrl}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'alive' });
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(503);
  });

  it('is ready, degraded, while a readiness rule holds with a failing check', async () => {
    const health = app.get(HealthRegistry);
    let redisUp = false;
    let postgresUp = true;
    health.register('redis', async () => {
      if (!redisUp) throw new Error('redis down');
    });
    health.register('postgres', async () => {
      if (!postgresUp) throw new Error('postgres down');
    });
    health.setReadinessRule((passed) => passed('redis') || passed('postgres'));
    const degraded = await fetch(`${baseUrl}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({
      status: 'degraded',
      checks: { redis: 'redis down', postgres: 'ok' },
    });
    postgresUp = false;
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(503);
    redisUp = true;
    expect(await (await fetch(`${baseUrl}/readyz`)).json()).toMatchObject({ status: 'degraded' });
    postgresUp = true;
    expect(await (await fetch(`${baseUrl}/readyz`)).json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${baseUrl}/livez`)).status).toBe(200);
  });

  it('reports draining during shutdown', async () => {
    app.get(HealthRegistry).startDraining();
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'draining' });
  });
});
