import type { INestApplication } from '@nestjs/common';
import type { GrpcOptions } from '@nestjs/microservices';
import { GrpcDomainErrorFilter } from './grpc-error.filter';

/**
 * Serves a contract on a Nest app, as every service process does (and its in-process tests):
 * the one error filter, then the gRPC server. The filter goes on the app and is inherited,
 * because a connected microservice is already initialised and refuses filters of its own.
 */
export async function serveGrpc(app: INestApplication, options: GrpcOptions): Promise<void> {
  app.useGlobalFilters(new GrpcDomainErrorFilter(app.getHttpAdapter()));
  app.connectMicroservice<GrpcOptions>(options, { inheritAppConfig: true });
  await app.startAllMicroservices();
}
