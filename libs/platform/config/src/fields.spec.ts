import { z } from 'zod';
import {
  grpcTarget,
  hostPort,
  loadConfig,
  queueWorkerFields,
  redisPrefix,
  retentionDays,
  secret,
  serviceBaseFields,
  redisClusterNodes,
} from './index';

const schema = z.object({
  REDIS_PREFIX: redisPrefix().default('sms'),
  PEER_GRPC_TARGET: grpcTarget().default('127.0.0.1:50051'),
  PAGE_TOKEN_SECRET: secret().default('a-dev-only-secret-value'),
  RETENTION_DAYS: retentionDays().default(30),
  REDIS_CLUSTER_NODES: redisClusterNodes(),
});
const load = (env: Record<string, string>) => loadConfig('test', schema, env);

describe('field helpers', () => {
  it('take the defaults the caller gives', () => {
    expect(load({})).toEqual({
      REDIS_PREFIX: 'sms',
      PEER_GRPC_TARGET: '127.0.0.1:50051',
      PAGE_TOKEN_SECRET: 'a-dev-only-secret-value',
      RETENTION_DAYS: 30,
      REDIS_CLUSTER_NODES: [],
    });
  });

  it.each(['sms', 'test_run-42', 'A'])('redisPrefix accepts %p', (value) => {
    expect(load({ REDIS_PREFIX: value }).REDIS_PREFIX).toBe(value);
  });

  it.each(['', 'has:colon', '{tagged}', 'with space'])('redisPrefix refuses %p', (value) => {
    expect(() => load({ REDIS_PREFIX: value })).toThrow(
      /REDIS_PREFIX: must be letters, digits, _ or -/,
    );
  });

  it.each([
    '127.0.0.1:50051',
    'localhost:1',
    'status-tracker:50051',
    'dns:///status-tracker.internal:50051',
    '[::1]:50051',
    'unix:/run/sms/status.sock',
    'ipv4:127.0.0.1:50051',
    'ipv4:10.0.0.1:50051,10.0.0.2:50052',
    'ipv6:[::1]:50051,[::1]:50052',
  ])('grpcTarget accepts %p', (value) => {
    expect(load({ PEER_GRPC_TARGET: value }).PEER_GRPC_TARGET).toBe(value);
  });

  it.each([
    '',
    'has space:1',
    '127.0.0.1',
    'http://host:1',
    'dns:///host',
    'host:123456',
    'ipv4:host-name:1',
    'ipv4:127.0.0.1:1,',
    'ipv4:127.0.0.1:1;127.0.0.2:1',
  ])('grpcTarget refuses %p', (value) => {
    expect(() => load({ PEER_GRPC_TARGET: value })).toThrow(
      /PEER_GRPC_TARGET: must be a gRPC target such as 127\.0\.0\.1:50051, dns:\/\/\/host:port or ipv4:/,
    );
  });

  it('redisClusterNodes reads host:port seeds, or none', () => {
    expect(load({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toEqual([]);
    expect(
      load({ REDIS_CLUSTER_NODES: 'redis-0:6379, 10.0.0.2:7001,[::1]:7002' }).REDIS_CLUSTER_NODES,
    ).toEqual([
      { host: 'redis-0', port: 6379 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it.each(['redis-0', 'redis://redis-0:6379', 'redis-0:6379;redis-1:6379', 'redis-0:70000'])(
    'redisClusterNodes refuses %p',
    (value) => {
      expect(() => load({ REDIS_CLUSTER_NODES: value })).toThrow(
        /REDIS_CLUSTER_NODES: must be host:port seeds separated by commas/,
      );
    },
  );

  it('secret refuses a short key and accepts one of the minimum length', () => {
    expect(() => load({ PAGE_TOKEN_SECRET: 'x'.repeat(15) })).toThrow(
      /PAGE_TOKEN_SECRET: must be at least 16 characters/,
    );
    expect(load({ PAGE_TOKEN_SECRET: 'x'.repeat(16) }).PAGE_TOKEN_SECRET).toBe('x'.repeat(16));
    expect(secret(32).safeParse('x'.repeat(31)).error?.issues[0]?.message).toBe(
      'must be at least 32 characters',
    );
  });

  it('retentionDays reads whole days of at least 30', () => {
    expect(load({ RETENTION_DAYS: '30' }).RETENTION_DAYS).toBe(30);
    expect(load({ RETENTION_DAYS: '400' }).RETENTION_DAYS).toBe(400);
    expect(() => load({ RETENTION_DAYS: '29' })).toThrow(/RETENTION_DAYS: must be at least 30/);
    expect(() => load({ RETENTION_DAYS: '30.5' })).toThrow(
      /RETENTION_DAYS: must be a whole number of days/,
    );
    expect(() => load({ RETENTION_DAYS: 'forever' })).toThrow(
      /RETENTION_DAYS: must be a number of days/,
    );
  });

  it("queueWorkerFields keep BullMQ's 30 s lock and stalled check unless told, never under 1 s", () => {
    const queues = z.object(queueWorkerFields());
    const read = (env: Record<string, string>) => loadConfig('test', queues, env);
    expect(read({})).toEqual({ QUEUE_LOCK_DURATION_MS: 30_000, QUEUE_STALLED_INTERVAL_MS: 30_000 });
    expect(read({ QUEUE_LOCK_DURATION_MS: '3000', QUEUE_STALLED_INTERVAL_MS: '2000' })).toEqual({
      QUEUE_LOCK_DURATION_MS: 3000,
      QUEUE_STALLED_INTERVAL_MS: 2000,
    });
    expect(() => read({ QUEUE_STALLED_INTERVAL_MS: '999' })).toThrow(
      /QUEUE_STALLED_INTERVAL_MS: must be at least 1000/,
    );
  });

  it('BIND_HOST listens on this machine only unless told otherwise, and takes IP addresses', () => {
    const base = (env: Record<string, string>) =>
      loadConfig('test', z.object(serviceBaseFields()), env);
    expect(base({}).BIND_HOST).toBe('127.0.0.1');
    for (const host of ['0.0.0.0', '10.1.2.3', '::', '::1']) {
      expect(base({ BIND_HOST: host }).BIND_HOST).toBe(host);
    }
    for (const host of ['', 'localhost', '0.0.0.0:3000', '256.0.0.1']) {
      expect(() => base({ BIND_HOST: host })).toThrow(/BIND_HOST: must be an IP address/);
    }
    expect(hostPort('127.0.0.1', 50051)).toBe('127.0.0.1:50051');
    expect(hostPort('::', 50051)).toBe('[::]:50051');
  });
});
