import { z } from 'zod';
import {
  booleanFromString,
  ConfigError,
  durationMs,
  loadConfig,
  portNumber,
  postgresUrl,
  redisUrl,
} from './index';

const schema = z.object({
  DATABASE_URL: postgresUrl(),
  REDIS_URL: redisUrl().default('redis://127.0.0.1:6379/0'),
  GRPC_PORT: portNumber().default(50051),
  SHUTDOWN_DEADLINE_MS: durationMs().default(10000),
  MIGRATE_ON_START: booleanFromString().default(false),
});

describe('loadConfig', () => {
  it('returns typed values with defaults', () => {
    const config = loadConfig('test', schema, {
      DATABASE_URL: 'postgres://u@h:5432/db',
      GRPC_PORT: '6000',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://u@h:5432/db',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      GRPC_PORT: 6000,
      SHUTDOWN_DEADLINE_MS: 10000,
      MIGRATE_ON_START: false,
    });
  });

  it('names every bad variable in one error', () => {
    expect.assertions(4);
    try {
      loadConfig('status-tracker', schema, {
        DATABASE_URL: 'nope',
        GRPC_PORT: '70000',
        MIGRATE_ON_START: 'yes',
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('status-tracker');
      expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(message).toMatch(
        /GRPC_PORT: must be 0\.\.65535[\s\S]*MIGRATE_ON_START: must be true or false/,
      );
    }
  });

  it('reports a missing required variable', () => {
    expect(() => loadConfig('x', schema, {})).toThrow(/DATABASE_URL: is required/);
  });
});
