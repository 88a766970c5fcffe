import type { INestApplication } from '@nestjs/common';
import type { CustomStrategy, GrpcOptions } from '@nestjs/microservices';
import { ContractGrpcServer, findDirectGrpcMethods } from './direct-grpc';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { GrpcDomainErrorFilter } from './grpc-error.filter';
import { GrpcMetricsInterceptor } from './grpc-metrics.interceptor';
import type { GrpcCallerGuard } from './grpc-security';

/**
 * Serves a contract on a Nest app, as every service process does (and its in-process tests):
 * the one error filter, then the gRPC server. The filter goes on the app and is inherited,
 * because a connected microservice is already initialised and refuses filters of its own. The
 * caller guard (when given) is inherited the same way and checks every gRPC call; the metrics
 * interceptor counts and times every handled call. Controller methods marked `directGrpcMethod`
 * are served straight from grpc-js (with the same guard, metrics and error mapping).
 */
export async function serveGrpc(
  app: INestApplication,
  options: GrpcOptions,
  guard?: GrpcCallerGuard,
): Promise<void> {
  app.useGlobalFilters(new GrpcDomainErrorFilter(app.getHttpAdapter()));
  if (guard) app.useGlobalGuards(guard);
  const metrics = new GrpcMetricsInterceptor(app.get<Registry>(METRICS_REGISTRY));
  app.useGlobalInterceptors(metrics);
  app.connectMicroservice<CustomStrategy>(
    {
      strategy: new ContractGrpcServer(options.options, findDirectGrpcMethods(app), guard, metrics),
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
}
