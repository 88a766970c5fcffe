// The baseline of the Check benchmark: a bare grpc-js server for the same InterceptionService
// contract that answers Check / CheckBatch / CheckBatchVerdicts with a canned ALLOW and does nothing else.
// `node -r ./tools/runtime/register.cjs bench/interception/echo-server.ts <port>`
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type sendUnaryData,
  type ServerUnaryCall,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GRPC_SERVICES, PROTO_LOADER_OPTIONS } from '@sms/contracts';

interface CheckRequest {
  accountId: string;
  phone: string;
}

function main(): void {
  const port = Number(process.argv[2] ?? 0);
  const spec = GRPC_SERVICES.interception;
  const loaded = loadPackageDefinition(loadSync(spec.protoFile, PROTO_LOADER_OPTIONS)) as Record<
    string,
    unknown
  >;
  const service = spec.packageName
    .split('.')
    .concat(spec.serviceName)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded) as {
    service: Parameters<Server['addService']>[0];
  };
  const server = new Server();
  server.addService(service.service, {
    Check: (call: ServerUnaryCall<CheckRequest, unknown>, callback: sendUnaryData<unknown>) =>
      callback(null, { phone: call.request.phone, verdict: 'VERDICT_ALLOW' }),
    CheckBatch: (
      call: ServerUnaryCall<{ accountId: string; phones: string[] }, unknown>,
      callback: sendUnaryData<unknown>,
    ) =>
      callback(null, {
        results: call.request.phones.map((phone) => ({ phone, verdict: 'VERDICT_ALLOW' })),
      }),
    CheckBatchVerdicts: (
      call: ServerUnaryCall<{ accountId: string; phones: string[] }, unknown>,
      callback: sendUnaryData<unknown>,
    ) =>
      callback(null, {
        verdicts: call.request.phones.map((phone) => ({ phone, verdict: 'VERDICT_ALLOW' })),
      }),
  });
  server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => {
    if (error) throw error;
    process.stdout.write(`echo listening on ${bound}\n`);
  });
  process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
}

main();
