import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@sms/platform-config';
import { runMigrations } from '@sms/platform-database';
import { createRedis } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  testInfrastructure,
} from '@sms/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountsService } from '../../src/accounts/accounts.service';
import type { ApiKeyRole } from '../../src/accounts/api-key-secret';
import { AppModule } from '../../src/app.module';
import { gatewayConfigSchema, type GatewayConfig } from '../../src/config';
import { ormSettings } from '../../src/database';
import { configureGatewayApp } from '../../src/gateway-app';

export interface TestKey {
  readonly accountId: string;
  readonly keyId: string;
  readonly secret: string;
  readonly role: ApiKeyRole;
  /** `Bearer <keyId>.<secret>` */
  readonly bearer: string;
  /** `Basic base64(keyId:secret)` */
  readonly basic: string;
}

export interface GatewayUnderTest {
  readonly url: string;
  readonly app: INestApplication;
  readonly config: GatewayConfig;
  /** The hash-tagged base without braces, as REDIS_PREFIX takes it. */
  readonly redisPrefix: string;
  /** A new account with one key of the role. */
  newAccount(role?: ApiKeyRole): Promise<TestKey>;
  /** Another key of an existing account. */
  newKey(accountId: string, role?: ApiKeyRole): Promise<TestKey>;
  revoke(keyId: string): Promise<void>;
  request(
    path: string,
    options?: { key?: TestKey; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * The gateway as a Nest app in this process, on a free port, with its own schema (migrated)
 * and Redis prefix. Back-end targets come from `env`.
 */
export async function startGatewayUnderTest(
  env: Record<string, string> = {},
): Promise<GatewayUnderTest> {
  const schema = await createTestSchema('gateway');
  const redisPrefix = createTestRedisPrefix('gateway').replace(/[{}]/g, '');
  const { redisUrl } = testInfrastructure();
  const config = loadConfig('gateway', gatewayConfigSchema, {
    DATABASE_URL: schema.databaseUrl,
    DATABASE_SCHEMA: schema.schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: 'fatal',
    GRPC_DEADLINE_MS: '3000',
    ...env,
  });
  await runMigrations(ormSettings(config));
  const app = await NestFactory.create(AppModule.register(config), { logger: false });
  configureGatewayApp(app, config);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const accounts = app.get(AccountsService);

  const newKey = async (accountId: string, role: ApiKeyRole = 'customer'): Promise<TestKey> => {
    const issued = await accounts.issueKey(accountId, role);
    return {
      ...issued,
      bearer: `Bearer ${issued.keyId}.${issued.secret}`,
      basic: `Basic ${Buffer.from(`${issued.keyId}:${issued.secret}`).toString('base64')}`,
    };
  };

  return {
    url,
    app,
    config,
    redisPrefix,
    newKey,
    newAccount: async (role = 'customer') => {
      const { accountId } = await accounts.createAccount(`account ${Math.random()}`);
      return newKey(accountId, role);
    },
    revoke: async (keyId) => {
      await accounts.revokeKey(keyId);
    },
    request: async (path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers['authorization'] = options.key.bearer;
      let body: string | undefined;
      const method = options.method ?? 'GET';
      if (options.body !== undefined && method !== 'GET') {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body,
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. the docs page)
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    close: async () => {
      await app.close();
      const redis = createRedis({ url: redisUrl, name: 'gateway-test-cleanup' });
      await deleteKeysWithPrefix(redis, `{${redisPrefix}:gateway}`);
      await redis.quit();
      await schema.drop();
    },
  };
}
