import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS, type GrpcServiceSpec } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { freePort } from '@sms/testing';

/**
 * A transparent gRPC forwarder in front of a real service: every call is passed on unchanged and
 * counted per method. It lets a test count the calls a service receives from the reply-service
 * (the real service has no per-method call metric), and take the service "down" and "up" again
 * on the same address without restarting it.
 */
export class CountingProxy {
  readonly calls = new Map<string, number>();
  private server: Server | undefined;
  private closeUpstream: (() => void) | undefined;

  private constructor(
    private readonly spec: GrpcServiceSpec,
    private readonly upstream: string,
    readonly target: string,
  ) {}

  static async start(spec: GrpcServiceSpec, upstream: string): Promise<CountingProxy> {
    const proxy = new CountingProxy(spec, upstream, `127.0.0.1:${await freePort()}`);
    await proxy.up();
    return proxy;
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  /** Starts answering (again) on the same address. */
  async up(): Promise<void> {
    if (this.server) return;
    const loaded = loadPackageDefinition(loadSync(this.spec.protoFile, PROTO_LOADER_OPTIONS));
    const service = this.spec.packageName
      .split('.')
      .concat(this.spec.serviceName)
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded) as {
      service: ServiceDefinition;
    };
    const client = createGrpcClient<Record<string, unknown>>(this.spec, {
      target: this.upstream,
      deadlineMs: 10_000,
      // Only the reply-service calls through it: passed on with the reply-service's identity.
      callerToken: DEVELOPMENT_GRPC_TOKENS['reply-service'],
    });
    this.closeUpstream = () => client.close();
    const upstream = client as unknown as Record<string, (request: unknown) => Promise<unknown>>;
    const handlers: UntypedServiceImplementation = {};
    for (const [method, definition] of Object.entries(service.service)) {
      const camel = method.charAt(0).toLowerCase() + method.slice(1);
      handlers[definition.originalName ?? camel] = (
        call: { request: unknown },
        callback: (error: ServiceError | null, response?: unknown) => void,
      ) => {
        this.calls.set(method, this.count(method) + 1);
        upstream[camel](call.request).then(
          (response) => callback(null, response),
          (error: ServiceError) => callback(error),
        );
      };
    }
    const server = new Server();
    server.addService(service.service, handlers);
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(this.target, ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    this.server = server;
  }

  /** Stops answering: callers see the service unreachable. */
  down(): void {
    this.server?.forceShutdown();
    this.server = undefined;
    this.closeUpstream?.();
    this.closeUpstream = undefined;
  }
}
