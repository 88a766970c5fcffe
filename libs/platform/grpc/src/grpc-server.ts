import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_LOADER_OPTIONS, type GrpcServiceSpec } from '@sms/contracts';
import { HealthImplementation } from 'grpc-health-check';

/**
 * grpc.health.v1 for one service: the overall ('') and the named service status move together.
 * Starts NOT_SERVING; the bootstrap sets SERVING once the server listens, NOT_SERVING on drain.
 */
export class GrpcHealth {
  private readonly implementation: HealthImplementation;

  constructor(private readonly fullServiceName: string) {
    this.implementation = new HealthImplementation({
      '': 'NOT_SERVING',
      [fullServiceName]: 'NOT_SERVING',
    });
  }

  addToServer(server: Server): void {
    this.implementation.addToServer(server);
  }

  setServing(serving: boolean): void {
    const value = serving ? 'SERVING' : 'NOT_SERVING';
    this.implementation.setStatus('', value);
    this.implementation.setStatus(this.fullServiceName, value);
  }
}

export interface GrpcServerSettings {
  readonly service: GrpcServiceSpec;
  /** host:port to bind, e.g. 0.0.0.0:50052. */
  readonly url: string;
  readonly health: GrpcHealth;
}

/** Server options and the health switch for one contract service bound to `url`. */
export function grpcServer(
  service: GrpcServiceSpec,
  url: string,
): { options: GrpcOptions; health: GrpcHealth } {
  const health = new GrpcHealth(`${service.packageName}.${service.serviceName}`);
  return { health, options: grpcServerOptions({ service, url, health }) };
}

/** Nest gRPC microservice options: contracts, health, reflection, graceful shutdown. */
export function grpcServerOptions(settings: GrpcServerSettings): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: settings.service.packageName,
      protoPath: settings.service.protoFile,
      url: settings.url,
      loader: PROTO_LOADER_OPTIONS,
      gracefulShutdown: true,
      channelOptions: {
        'grpc.keepalive_permit_without_calls': 1,
        'grpc.http2.min_ping_interval_without_data_ms': 10_000,
      },
      onLoadPackageDefinition: (packageDefinition: PackageDefinition, server: Server) => {
        settings.health.addToServer(server);
        new ReflectionService(packageDefinition).addToServer(server);
      },
    },
  };
}
