import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { freePort } from './wait';

/** What one app supplies: its config, migrations, module, gRPC server and client. */
export interface InProcessServiceDefinition<C, Client extends { close(): void }> {
  /** The app's typed config from these variables (GRPC_PORT is a free port, LOG_LEVEL warn). */
  readonly loadConfig: (env: Record<string, string>) => C;
  /** Brings the config's schema up to date (the app's `runMigrations(ormSettings(config))`). */
  readonly migrate: (config: C) => Promise<unknown>;
  readonly module: (config: C) => DynamicModule;
  /** Attaches the app's gRPC server on `address`; returns its health, set SERVING once up. */
  readonly serveGrpc: (
    app: INestApplication,
    address: string,
  ) => Promise<{ setServing(serving: boolean): void } | undefined>;
  /** A client of the app's contract at `target`. */
  readonly client: (target: string) => Client;
}

export interface InProcessService<C, Client> {
  readonly app: INestApplication;
  readonly config: C;
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * An app in the test's own process (its own AppModule, a real gRPC server on a free port and a
 * client of it), migrated into the schema its env names: what runService does, minus HTTP and
 * signals. The app's test support supplies the app-specific parts (libs/testing imports no
 * platform library: they use it in their own tests).
 */
export async function startInProcessService<C, Client extends { close(): void }>(
  definition: InProcessServiceDefinition<C, Client>,
  env: Record<string, string>,
): Promise<InProcessService<C, Client>> {
  const grpcPort = await freePort();
  const config = definition.loadConfig({ LOG_LEVEL: 'warn', GRPC_PORT: String(grpcPort), ...env });
  await definition.migrate(config);
  const app = await NestFactory.create(definition.module(config), { logger: ['error'] });
  const health = await definition.serveGrpc(app, `127.0.0.1:${grpcPort}`);
  await app.init();
  health?.setServing(true);
  const client = definition.client(`127.0.0.1:${grpcPort}`);
  return {
    app,
    config,
    client,
    close: async () => {
      client.close();
      await app.close();
    },
  };
}
