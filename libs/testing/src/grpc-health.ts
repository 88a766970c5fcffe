import { credentials, loadPackageDefinition, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

interface HealthClient {
  check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: ServiceError | null, response: { status: string }) => void,
  ): void;
  close(): void;
}

/** Asks a server's grpc.health.v1 for a service's status: SERVING, NOT_SERVING, ... */
export function grpcHealthStatus(target: string, service = '', timeoutMs = 2000): Promise<string> {
  const loaded = loadPackageDefinition(
    loadSync(protoPath, { keepCase: true, enums: String }),
  ) as unknown as {
    grpc: { health: { v1: { Health: new (target: string, creds: unknown) => HealthClient } } };
  };
  const client = new loaded.grpc.health.v1.Health(target, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response.status);
    }),
  );
}
