import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GRPC_SERVICES, type statusV1 } from '@sms/contracts';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createGrpcClient, serveGrpc, grpcServer, type GrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  testInfrastructure,
  type TestSchema,
} from '@sms/testing';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { statusConfigSchema, type StatusConfig } from '../src/config';
import { ormSettings } from '../src/database';

export interface StatusTestApp {
  readonly app: INestApplication;
  readonly client: GrpcClient<statusV1.StatusServiceClient>;
  readonly config: StatusConfig;
  /** A plain connection to the test schema, for arranging and asserting rows. */
  readonly sql: Client;
  close(): Promise<void>;
}

/**
 * The status-tracker in this process: real PostgreSQL (a schema of its own, migrated), real
 * Redis (a prefix of its own), a real gRPC server on a free port and a real client.
 */
export async function startStatusTestApp(
  label: string,
  env: Record<string, string> = {},
): Promise<StatusTestApp> {
  const schema: TestSchema = await createTestSchema(label);
  const { redisUrl } = testInfrastructure();
  const port = await freePort();
  const prefixBase = createTestRedisPrefix(label).replace(/[{}]/g, '');
  const config = loadConfig('status-tracker', statusConfigSchema, {
    DATABASE_URL: schema.databaseUrl,
    DATABASE_SCHEMA: schema.schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefixBase,
    GRPC_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...env,
  });
  await runMigrations(ormSettings(config));
  const app = await NestFactory.create(AppModule.register(config), { logger: ['error'] });
  await serveGrpc(app, grpcServer(GRPC_SERVICES.status, `127.0.0.1:${port}`).options);
  await app.init();
  const client = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
    target: `127.0.0.1:${port}`,
    deadlineMs: 20_000,
  });
  const sql = new Client({
    connectionString: schema.databaseUrl,
    options: `-c search_path=${schema.schema}`,
  });
  await sql.connect();
  return {
    app,
    client,
    config,
    sql,
    close: async () => {
      client.close();
      await app.close();
      await sql.end();
      const redis = createRedis({ url: redisUrl, name: 'status-test-cleanup' });
      await deleteKeysWithPrefix(redis, `{${prefixBase}:status}`);
      await redis.quit();
      await schema.drop();
    },
  };
}
