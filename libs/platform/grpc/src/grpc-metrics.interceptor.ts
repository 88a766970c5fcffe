import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { DomainError } from '@sms/errors';
import { Counter, Histogram, type Registry } from '@sms/platform-metrics';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { grpcStatusFor } from './grpc-error.filter';

/**
 * Rate, errors and duration of every gRPC call a service handles, by method and status code
 * (`grpc_server_handled_total`, `grpc_server_handling_seconds`): what the dashboards' error
 * ratio and the alerts read. Calls refused by the caller guard never reach a handler and are
 * not counted here (the guard logs them).
 */
export class GrpcMetricsInterceptor implements NestInterceptor {
  private readonly handled: Counter<'method' | 'code'>;
  private readonly duration: Histogram<'method'>;

  constructor(registry: Registry) {
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls handled, by method and status code',
      labelNames: ['method', 'code'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Time to handle a gRPC call, by method',
      labelNames: ['method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const method = context.getHandler().name;
    const startedAt = process.hrtime.bigint();
    return next.handle().pipe(
      tap({ complete: () => this.observe(method, status.OK, startedAt) }),
      catchError((error: unknown) => {
        const code = error instanceof DomainError ? grpcStatusFor(error.code) : status.INTERNAL;
        this.observe(method, code, startedAt);
        return throwError(() => error);
      }),
    );
  }

  /** One handled call (also what the direct methods of direct-grpc.ts record). */
  observe(method: string, code: status, startedAt: bigint): void {
    this.handled.inc({ method, code: status[code] });
    this.duration.observe({ method }, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }
}
