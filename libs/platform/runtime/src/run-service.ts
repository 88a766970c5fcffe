import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { GrpcOptions } from '@nestjs/microservices';
import { ConfigError, hostPort } from '@sms/platform-config';
import { SchemaNotCurrentError } from '@sms/platform-database';
import { serveGrpc, type GrpcCallerGuard, type GrpcHealth } from '@sms/platform-grpc';
import { createPinoLogger } from '@sms/platform-logging';
import { HealthRegistry } from '@sms/platform-metrics';
import { shutdownTracing } from '@sms/platform-tracing';
import { Logger } from 'nestjs-pino';
import { FrameworkQuietLogger } from './framework-quiet-logger';

export interface ServiceDefinition<C extends { readonly BIND_HOST: string }> {
  readonly name: string;
  /** Validates the environment; throws ConfigError naming bad variables. */
  readonly loadConfig: () => C;
  readonly module: (config: C) => DynamicModule;
  /** Adds to the app before anything listens (body parsers, extra routes such as OpenAPI). */
  readonly configureApp?: (app: INestApplication, config: C) => void | Promise<void>;
  readonly httpPort: (config: C) => number;
  /** The gRPC server; `guard` (from grpcServer's security) checks every caller. */
  readonly grpc?: (config: C) => {
    options: GrpcOptions;
    health: GrpcHealth;
    guard?: GrpcCallerGuard;
  };
  readonly shutdownDeadlineMs: (config: C) => number;
  /** Runs after the servers listen (e.g. reconcilers). */
  readonly afterStart?: (app: INestApplication, config: C) => Promise<void>;
}

/**
 * The life of one service process: validated config, JSON logs, HTTP (/healthz, /metrics and,
 * for the gateway, the API), optionally a gRPC server with health and reflection, and a graceful
 * SIGTERM/SIGINT: health goes NOT_SERVING, in-flight calls and jobs finish, then exit, all
 * within a deadline.
 */
export async function runService<C extends { readonly BIND_HOST: string }>(
  definition: ServiceDefinition<C>,
): Promise<INestApplication> {
  try {
    return await startService(definition);
  } catch (error) {
    if (error instanceof SchemaNotCurrentError) {
      const message = `${definition.name} cannot start: ${error.message}`;
      createPinoLogger({ service: definition.name, level: 'info' }).fatal(message);
      process.stderr.write(`${message}\n`);
      process.exit(78);
    }
    if (isAddressInUse(error)) {
      const message =
        `${definition.name} cannot listen on port ${error.port}: it is in use. ` +
        'Is the system already running (npm start in another terminal)? Stop it, or set ' +
        'HTTP_PORT / GRPC_PORT to free ports.';
      createPinoLogger({ service: definition.name, level: 'info' }).fatal(message);
      process.stderr.write(`${message}\n`);
      process.exit(1);
    }
    createPinoLogger({ service: definition.name, level: 'info' }).fatal(error, 'start-up failed');
    process.exit(1);
  }
}

async function startService<C extends { readonly BIND_HOST: string }>(
  definition: ServiceDefinition<C>,
): Promise<INestApplication> {
  const bootLogger = createPinoLogger({ service: definition.name, level: 'info' });
  let config: C;
  try {
    config = definition.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      bootLogger.fatal(error.message);
      // stderr too, for humans reading a terminal.
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }

  const app = await NestFactory.create(definition.module(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new FrameworkQuietLogger(app.get(Logger)));
  const logger = app.get(Logger);
  await definition.configureApp?.(app, config);

  const grpc = definition.grpc?.(config);
  if (grpc) await serveGrpc(app, grpc.options, grpc.guard);
  await app.listen(definition.httpPort(config), config.BIND_HOST);
  await definition.afterStart?.(app, config);
  grpc?.health.setServing(true);
  const grpcAddress = grpc ? `, gRPC ${String(grpc.options.options?.url)}` : '';
  logger.log(
    `${definition.name} ready: HTTP ${hostPort(config.BIND_HOST, definition.httpPort(config))} (/healthz, /metrics)${grpcAddress}`,
    'Bootstrap',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining`, 'Bootstrap');
    grpc?.health.setServing(false);
    app.get(HealthRegistry).startDraining();
    const deadline = setTimeout(() => {
      logger.error(
        `shutdown deadline of ${definition.shutdownDeadlineMs(config)} ms passed; exiting`,
        'Bootstrap',
      );
      process.exit(1);
    }, definition.shutdownDeadlineMs(config));
    deadline.unref();
    app
      .close()
      .then(() => shutdownTracing())
      .then(() => {
        logger.log('stopped', 'Bootstrap');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(error instanceof Error ? error : String(error), 'Bootstrap');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return app;
}

function isAddressInUse(error: unknown): error is { code: 'EADDRINUSE'; port: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'EADDRINUSE'
  );
}
