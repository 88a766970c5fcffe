import {
  loadPackageDefinition,
  type status as GrpcStatus,
  Server,
  ServerCredentials,
  type handleUnaryCall,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_LOADER_OPTIONS, type GrpcServiceSpec } from '@sms/contracts';

export interface RecordedCall {
  readonly service: keyof typeof GRPC_SERVICES;
  /** lowerCamel method name, as the client calls it. */
  readonly method: string;
  readonly request: Record<string, unknown>;
}

export type CannedAnswer =
  Record<string, unknown> | { grpcError: { code: number; details: string } };

/**
 * Stand-ins for the three back ends that record every call and answer what the test set up.
 * For the gateway's edge tests only: they prove a refused request never reaches a back end and
 * what the gateway sends; the real services are exercised in gateway-with-services.int-spec.ts.
 */
export class RecordingBackends {
  readonly calls: RecordedCall[] = [];
  private readonly answers = new Map<string, CannedAnswer>();
  private readonly server = new Server();
  private port = 0;

  answer(method: string, response: CannedAnswer): void {
    this.answers.set(method, response);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async start(): Promise<{ target: string }> {
    for (const [service, spec] of Object.entries(GRPC_SERVICES) as [
      keyof typeof GRPC_SERVICES,
      GrpcServiceSpec,
    ][]) {
      const loaded = loadPackageDefinition(loadSync(spec.protoFile, PROTO_LOADER_OPTIONS));
      const definition = spec.packageName
        .split('.')
        .concat(spec.serviceName)
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded) as {
        service: ServiceDefinition;
      };
      const handlers: UntypedServiceImplementation = {};
      for (const name of Object.keys(definition.service)) {
        const method = name.charAt(0).toLowerCase() + name.slice(1);
        const handler: handleUnaryCall<Record<string, unknown>, unknown> = (call, callback) => {
          this.calls.push({ service, method, request: call.request });
          const answer = this.answers.get(method);
          if (answer && 'grpcError' in answer) {
            callback(answer.grpcError as { code: GrpcStatus; details: string });
          } else callback(null, answer ?? {});
        };
        handlers[name] = handler;
      }
      this.server.addService(definition.service, handlers);
    }
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    return { target: `127.0.0.1:${this.port}` };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
