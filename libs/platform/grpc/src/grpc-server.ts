import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { PROTO_LOADER_OPTIONS, type GrpcServiceSpec } from '@sms/contracts';
import { HealthImplementation } from 'grpc-health-check';
import {
  GrpcCallerGuard,
  serverCredentials,
  type GrpcCallerTrust,
  type GrpcTlsSettings,
} from './grpc-security';

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
  /** host:port to bind, e.g. 127.0.0.1:50052 (BIND_HOST and GRPC_PORT). */
  readonly url: string;
  readonly health: GrpcHealth;
  /** TLS when GRPC_TLS_CERT/KEY are set; plaintext otherwise. */
  readonly tls?: GrpcTlsSettings;
}

/** The trust boundary of a service process: TLS settings and who may call which RPC. */
export interface GrpcServerSecurity {
  readonly tls?: GrpcTlsSettings;
  readonly trust: GrpcCallerTrust;
}

/**
 * Server options and the health switch for one contract service bound to `url`. With `security`
 * (every service process passes it) the server uses TLS when configured and the caller guard
 * checks every call; in-process tests of a service's rules may leave it out.
 */
export function grpcServer(
  service: GrpcServiceSpec,
  url: string,
  security?: GrpcServerSecurity,
): { options: GrpcOptions; health: GrpcHealth; guard?: GrpcCallerGuard } {
  const health = new GrpcHealth(`${service.packageName}.${service.serviceName}`);
  return {
    health,
    options: grpcServerOptions({ service, url, health, tls: security?.tls }),
    guard: security
      ? new GrpcCallerGuard({
          ...security.trust,
          clientCertificatesVerified: security.tls?.GRPC_TLS_REQUIRE_CLIENT_CERT === true,
        })
      : undefined,
  };
}

/** Nest gRPC microservice options: contracts, health, reflection, graceful shutdown. */
export function grpcServerOptions(settings: GrpcServerSettings): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: settings.service.packageName,
      protoPath: settings.service.protoFile,
      url: settings.url,
      credentials: serverCredentials(settings.tls),
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
