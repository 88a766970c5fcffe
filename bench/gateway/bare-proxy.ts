// The floor of the gateway-rest benchmark: a bare node:http server that answers
// GET /v1/block-list/check?phone=… by the same gRPC Check (same client, same caller token) and
// writes the verdict as JSON — no Nest, Express, authentication, rate limit, validation, logging
// or metrics. What any REST hop in front of the gRPC call pays (HTTP parsing and writing, one
// more gRPC client call), so the gateway's own cost is the difference.
// Started by rest-vs-grpc.bench.ts with BARE_PROXY_PORT, INTERCEPTION_GRPC_TARGET and
// BARE_PROXY_ACCOUNT in its environment (the caller token is the gateway's development token).
import { createServer } from 'node:http';
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';

function main(): void {
  const port = process.env['BARE_PROXY_PORT'] ?? '0';
  const target = process.env['INTERCEPTION_GRPC_TARGET'] ?? '';
  const accountId = process.env['BARE_PROXY_ACCOUNT'] ?? '';
  const interception = createGrpcClient<interceptionV1.InterceptionServiceClient>(
    GRPC_SERVICES.interception,
    { target, deadlineMs: 5000, callerToken: DEVELOPMENT_GRPC_TOKENS.gateway },
  );
  const server = createServer((request, response) => {
    const phone = new URL(request.url ?? '/', 'http://bare').searchParams.get('phone') ?? '';
    interception.check({ accountId, phone }).then(
      (answer) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ verdict: answer.verdict, entry: answer.entry ?? null }));
      },
      (error: unknown) => {
        response.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ error: String(error) }));
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1', () => console.log(`bare proxy listening on ${port}`));
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    interception.close();
  });
}

main();
