import type {
  sendUnaryData,
  ServerUnaryCall,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ServerGrpc, type GrpcOptions } from '@nestjs/microservices';
import { grpcErrorFor } from './grpc-error.filter';
import type { GrpcMetricsInterceptor } from './grpc-metrics.interceptor';
import type { GrpcCallerGuard } from './grpc-security';

const DIRECT_GRPC_METHOD = 'sms:direct-grpc-method';

/**
 * Protobuf bytes of a response message, encoded by the handler itself: the server sends them
 * as they are instead of encoding an object (see `directGrpcMethod`). The type parameter names
 * the message the bytes stand for.
 */
export type EncodedMessage<Message> = Buffer & { readonly __message?: Message };

/**
 * Serves one unary RPC of `service` (the contract's service name, e.g. `InterceptionService`;
 * `rpc` defaults to the method's name) straight from grpc-js, without Nest's per-call pipeline
 * (execution context, RxJS observables, exception zone): for the send path's hot RPCs, where that
 * pipeline cost more than the work itself. What the pipeline does for every call is still done,
 * cheaply: the caller guard, the gRPC metrics and the one error mapping of GrpcDomainErrorFilter.
 * The handler gets the request (and the call); it may return the response object or its bytes
 * (`EncodedMessage`). Nest interceptors, pipes and filters of the controller do not apply.
 */
export function directGrpcMethod(service: string, rpc?: string): MethodDecorator {
  return (_target, key, descriptor) => {
    Reflect.defineMetadata(
      DIRECT_GRPC_METHOD,
      { service, rpc: rpc ?? String(key) },
      descriptor.value as object,
    );
  };
}

type DirectHandler = (request: unknown, call: ServerUnaryCall<unknown, unknown>) => unknown;

interface DirectMethod {
  readonly service: string;
  readonly rpc: string;
  readonly handler: DirectHandler;
}

/** The methods marked with `directGrpcMethod` on the app's controllers, bound to their instances. */
export function findDirectGrpcMethods(app: INestApplication): DirectMethod[] {
  const found: DirectMethod[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      let prototype = Object.getPrototypeOf(instance) as object | null;
      while (prototype && prototype !== Object.prototype) {
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const method = (prototype as Record<string, unknown>)[name];
          if (typeof method !== 'function') continue;
          const target = Reflect.getMetadata(DIRECT_GRPC_METHOD, method) as
            { service: string; rpc: string } | undefined;
          if (target) {
            found.push({
              ...target,
              handler: (method as DirectHandler).bind(instance),
            });
          }
        }
        prototype = Object.getPrototypeOf(prototype) as object | null;
      }
    }
  }
  return found;
}

/**
 * Nest's gRPC server with the direct methods added: every other RPC goes through Nest as before.
 * A direct method's response serializer passes encoded bytes through.
 */
export class ContractGrpcServer extends ServerGrpc {
  constructor(
    options: GrpcOptions['options'],
    private readonly direct: readonly DirectMethod[],
    private readonly guard: GrpcCallerGuard | undefined,
    private readonly metrics: GrpcMetricsInterceptor,
  ) {
    super(options);
  }

  override async createService(
    grpcService: { service: ServiceDefinition },
    name: string,
  ): Promise<UntypedServiceImplementation> {
    const implementation = (await super.createService(
      grpcService,
      name,
    )) as UntypedServiceImplementation;
    const serviceName = name.split('.').pop();
    for (const method of this.direct) {
      if (method.service !== serviceName && method.service !== name) continue;
      const definitionKey = Object.keys(grpcService.service).find(
        (key) =>
          grpcService.service[key].originalName === method.rpc ||
          key.toLowerCase() === method.rpc.toLowerCase(),
      );
      if (!definitionKey) {
        throw new Error(`${name} has no RPC ${method.rpc} (marked directGrpcMethod)`);
      }
      const definition = grpcService.service[definitionKey];
      if (definition.requestStream || definition.responseStream) {
        throw new Error(`${name}.${method.rpc}: directGrpcMethod serves unary RPCs only`);
      }
      const serialize = definition.responseSerialize;
      (definition as { responseSerialize: (value: unknown) => Buffer }).responseSerialize = (
        value: unknown,
      ) => (Buffer.isBuffer(value) ? value : serialize(value));
      implementation[definition.originalName ?? method.rpc] = this.unary(method);
    }
    return implementation;
  }

  private unary(method: DirectMethod) {
    const { rpc, handler } = method;
    const guard = this.guard;
    const metrics = this.metrics;
    return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
      const startedAt = process.hrtime.bigint();
      const fail = (error: unknown) => {
        const status = grpcErrorFor(error);
        metrics.observe(rpc, status.code, startedAt);
        callback(status);
      };
      try {
        guard?.authorize(rpc, call.metadata, call, call.request);
      } catch (error) {
        // Refused callers are not handled calls: not counted, as on the Nest path.
        callback(grpcErrorFor(error));
        return;
      }
      let result: unknown;
      try {
        result = handler(call.request, call);
      } catch (error) {
        fail(error);
        return;
      }
      Promise.resolve(result).then((response) => {
        metrics.observe(rpc, 0, startedAt);
        callback(null, response);
      }, fail);
    };
  }
}
