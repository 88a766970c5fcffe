import { GrpcMethod } from '@nestjs/microservices';

export const INTERCEPTION_SERVICE = 'InterceptionService';

/**
 * Serves the named RPCs of one gRPC service from this controller. The generated
 * `InterceptionServiceControllerMethods()` wants every RPC on one class; this lets each feature
 * folder keep its own controller (checks and lists, admission, interception words).
 */
export function grpcMethods(service: string, methods: readonly string[]): ClassDecorator {
  return (constructor) => {
    const prototype = constructor.prototype as Record<string, unknown>;
    for (const method of methods) {
      const descriptor = Reflect.getOwnPropertyDescriptor(prototype, method);
      if (!descriptor) throw new Error(`${constructor.name} has no method ${method}`);
      GrpcMethod(service, method)(prototype, method, descriptor);
      Object.defineProperty(prototype, method, descriptor);
    }
  };
}
