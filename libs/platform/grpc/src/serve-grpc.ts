import type { INestApplication } from '@nestjs/common';
import type { GrpcOptions } from '@nestjs/microservices';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { GrpcDomainErrorFilter } from './grpc-error.filter';
import { GrpcMetricsInterceptor } from './grpc-metrics.interceptor';
import type { GrpcCallerGuard } from './grpc-security';

/**
 * Serves a contract on a Nest app, as every service process does (and its in-process tests):
 * the one error filter, then the gRPC server. The filter goes on the app and is inherited,
 * because a connected microservice is already initialised and refuses filters of its own. The
 * caller guard (when given) is inherited the same way and checks every gRPC call; the metrics
 * interceptor counts and times every handled call.
 */
export async function serveGrpc(
  app: INestApplication,
  options: GrpcOptions,
  guard?: GrpcCallerGuard,
): Promise<void> {
  app.useGlobalFilters(new GrpcDomainErrorFilter(app.getHttpAdapter()));
  if (guard) app.useGlobalGuards(guard);
  app.useGlobalInterceptors(new GrpcMetricsInterceptor(app.get<Registry>(METRICS_REGISTRY)));
  app.connectMicroservice<GrpcOptions>(options, { inheritAppConfig: true });
  await app.startAllMicroservices();
}
