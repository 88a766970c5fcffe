// An in-process interception-service with a real gRPC server on a free port, over the real
// PostgreSQL (a schema of its own) and Redis (a key prefix of its own), for integration tests.
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GRPC_SERVICES, interceptionV1, type Timestamp } from '@sms/contracts';
import { createGrpcClient, serveGrpc, grpcServer, type GrpcClient } from '@sms/platform-grpc';
import { createRedis } from '@sms/platform-redis';
import { runMigrations } from '@sms/platform-database';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  freePort,
  testInfrastructure,
  type TestSchema,
} from '@sms/testing';
import { tryNormalizePhone } from '@sms/domain-phone';
import type { Redis } from 'ioredis';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { interceptionConfigSchema, type InterceptionConfig } from '../src/config';
import { ormSettings } from '../src/database';
import { prepareIndex } from '../src/hot-index/index-rebuilder';

export type InterceptionClient = GrpcClient<interceptionV1.InterceptionServiceClient>;

export interface TestStore {
  readonly schema: TestSchema;
  /** REDIS_PREFIX value (no braces); keys live under `{<prefix>:interception}`. */
  readonly redisPrefix: string;
  readonly keyPrefix: string;
  readonly redisUrl: string;
  /** Plain SQL on the test schema, to look at what is stored. */
  readonly sql: Client;
  readonly redis: Redis;
  drop(): Promise<void>;
}

export async function createTestStore(
  label: string,
  redisUrl = testInfrastructure().redisUrl,
): Promise<TestStore> {
  const schema = await createTestSchema(label);
  const redisPrefix = createTestRedisPrefix(label).replace(/[{}]/g, '');
  await runMigrations(
    ormSettings({ DATABASE_URL: schema.databaseUrl, DATABASE_SCHEMA: schema.schema }),
  );
  const sql = new Client({
    connectionString: schema.databaseUrl,
    options: `-c search_path=${schema.schema}`,
  });
  await sql.connect();
  const redis = createRedis({ url: redisUrl, name: `test-${label}` });
  const keyPrefix = `{${redisPrefix}:interception}`;
  return {
    schema,
    redisPrefix,
    keyPrefix,
    redisUrl,
    sql,
    redis,
    drop: async () => {
      await deleteKeysWithPrefix(redis, keyPrefix).catch(() => undefined);
      await redis.quit();
      await sql.end();
      await schema.drop();
    },
  };
}

export interface TestApp {
  readonly app: INestApplication;
  readonly client: InterceptionClient;
  readonly config: InterceptionConfig;
  close(): Promise<void>;
}

export async function startTestApp(
  store: Pick<TestStore, 'schema' | 'redisPrefix' | 'redisUrl'>,
  overrides: Record<string, string> = {},
): Promise<TestApp> {
  const grpcPort = await freePort();
  const config = interceptionConfigSchema.parse({
    DATABASE_URL: store.schema.databaseUrl,
    DATABASE_SCHEMA: store.schema.schema,
    REDIS_URL: store.redisUrl,
    REDIS_PREFIX: store.redisPrefix,
    GRPC_PORT: String(grpcPort),
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
    EXPIRY_SWEEP_INTERVAL_MS: '1000',
    RECONCILE_INTERVAL_MS: '200',
    INDEX_PENDING_GRACE_MS: '1000',
    ...overrides,
  });
  const app = await NestFactory.create(AppModule.register(config), {
    logger: process.env['TEST_APP_LOGS'] ? undefined : false,
    abortOnError: false,
  });
  const grpc = grpcServer(GRPC_SERVICES.interception, `127.0.0.1:${grpcPort}`);
  await serveGrpc(app, grpc.options);
  await app.init();
  // The same start-up step as main.ts: index verified or rebuilt before SERVING.
  await prepareIndex(app);
  grpc.health.setServing(true);
  const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
    GRPC_SERVICES.interception,
    {
      target: `127.0.0.1:${grpcPort}`,
      deadlineMs: 10_000,
    },
  );
  return {
    app,
    client,
    config,
    close: async () => {
      client.close();
      await app.close();
    },
  };
}

export function ts(date: Date | number): Timestamp {
  const ms = typeof date === 'number' ? date : date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function msOf(timestamp: Timestamp | null | undefined): number | null {
  return timestamp
    ? Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000)
    : null;
}

const usedPhones = new Set<string>();

/** A valid E.164 number not handed out before in this test file (UK mobiles, random). */
export function uniquePhone(): string {
  for (;;) {
    const candidate = `+447${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
    const result = tryNormalizePhone(candidate);
    if (result.ok && !usedPhones.has(result.e164)) {
      usedPhones.add(result.e164);
      return result.e164;
    }
  }
}

/** Everything stored, to assert that a refused request changed nothing. */
export async function storedState(store: TestStore): Promise<unknown> {
  const entries = await store.sql.query('select * from block_entry order by id');
  const failures = await store.sql.query(
    'select * from recorded_failure order by message_id, code',
  );
  const unsubscribes = await store.sql.query(
    'select * from unsubscribe order by account_id, phone',
  );
  return { entries: entries.rows, failures: failures.rows, unsubscribes: unsubscribes.rows };
}

export const { Verdict, Scope, EntryState, EntrySource, FailureOutcome, UnsubscribeSource } =
  interceptionV1;

/** The Redis hash of a number in the live index generation (null when no generation is live). */
export async function liveIndexKey(store: TestStore, phone: string): Promise<string | null> {
  const generation = await store.redis.get(`${store.keyPrefix}:ix-gen`);
  return generation === null ? null : `${store.keyPrefix}:ix:${generation}:${phone}`;
}
