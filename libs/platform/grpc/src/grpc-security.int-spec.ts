import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { GRPC_SERVICES, interceptionV1 } from '@sms/contracts';
import { freePort } from '@sms/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGrpcClient,
  GrpcCallerGuard,
  GrpcDomainErrorFilter,
  GrpcHealth,
  grpcServerOptions,
  type GrpcCaller,
  type GrpcClient,
  type GrpcTlsSettings,
} from './index';

// The trust boundary over real gRPC: TLS on and off, the caller identified by its token or its
// client certificate, each RPC open to the callers its table lists, as_operator from the
// gateway only. Certificates are made here with openssl.

@Controller()
class FakeInterceptionController implements Partial<interceptionV1.InterceptionServiceController> {
  @GrpcMethod('InterceptionService', 'check')
  check(request: interceptionV1.CheckRequest): interceptionV1.CheckResponse {
    return {
      phone: request.phone,
      verdict: interceptionV1.Verdict.VERDICT_ALLOW,
      entry: undefined,
      unsubscribe: undefined,
    };
  }

  @GrpcMethod('InterceptionService', 'getEntry')
  getEntry(): interceptionV1.GetEntryResponse {
    return { entry: undefined };
  }

  @GrpcMethod('InterceptionService', 'deleteEntry')
  deleteEntry(): interceptionV1.DeleteEntryResponse {
    return {} as interceptionV1.DeleteEntryResponse;
  }

  @GrpcMethod('InterceptionService', 'listEntries')
  listEntries(): interceptionV1.ListEntriesResponse {
    return { entries: [], nextPageToken: '' };
  }
}

@Module({ controllers: [FakeInterceptionController] })
class FakeModule {}

const TOKENS: Record<GrpcCaller, string> = {
  gateway: 'token-of-the-gateway-0123456789abcdef',
  'status-tracker': 'token-of-status-tracker-0123456789abc',
  'reply-service': 'token-of-reply-service-0123456789abcd',
  'interception-service': 'token-of-interception-service-0123456',
  sender: 'token-of-the-sender-0123456789abcdefg',
};
const POLICY = {
  check: ['sender', 'gateway'],
  getEntry: ['gateway'],
  // Open to the sender too, so that only the as_operator rule can refuse it.
  deleteEntry: ['gateway', 'sender'],
} as const;

function makeCertificates(dir: string): Record<string, string> {
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.crt'),
  );
  const leaf = (name: string, commonName: string, extension: string) => {
    writeFileSync(path(`${name}.ext`), extension);
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      path(`${name}.key`),
      '-out',
      path(`${name}.csr`),
    );
    openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.crt`),
    );
  };
  leaf('server', 'interception-service', 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  leaf('gateway', 'gateway', 'extendedKeyUsage=clientAuth\n');
  leaf('sender', 'sender', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: path('ca.crt'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    gatewayCert: path('gateway.crt'),
    gatewayKey: path('gateway.key'),
    senderCert: path('sender.crt'),
    senderKey: path('sender.key'),
  };
}

async function startServer(
  tls?: GrpcTlsSettings,
): Promise<{ app: INestMicroservice; target: string }> {
  const target = `127.0.0.1:${await freePort()}`;
  const health = new GrpcHealth('sms.interception.v1.InterceptionService');
  const app = await NestFactory.createMicroservice(FakeModule, {
    ...grpcServerOptions({ service: GRPC_SERVICES.interception, url: target, health, tls }),
    logger: false,
  });
  app.useGlobalFilters(new GrpcDomainErrorFilter());
  app.useGlobalGuards(
    new GrpcCallerGuard({
      tokens: TOKENS,
      policy: POLICY,
      clientCertificatesVerified: tls?.GRPC_TLS_REQUIRE_CLIENT_CERT === true,
    }),
  );
  await app.listen();
  return { app, target };
}

type Client = GrpcClient<interceptionV1.InterceptionServiceClient>;
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error: { code: number }) => status[error.code],
  );

describe('gRPC caller identity, plaintext (development)', () => {
  let app: INestMicroservice;
  let target: string;
  const clients: Client[] = [];
  const client = (callerToken?: string): Client => {
    const created = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 5000, callerToken },
    );
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    ({ app, target } = await startServer());
  });

  afterAll(async () => {
    for (const created of clients) created.close();
    await app.close();
  });

  it('refuses a call without a token or with an unknown one: UNAUTHENTICATED', async () => {
    expect(await codeOf(client().check({ accountId: 'a', phone: '+447911123456' }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await codeOf(client('not-a-known-token').check({ accountId: 'a', phone: '+447911123456' })),
    ).toBe('UNAUTHENTICATED');
  });

  it('lets each RPC be called by the callers its table lists, and no one else', async () => {
    const results: Record<string, Record<string, string>> = {};
    for (const caller of Object.keys(TOKENS) as GrpcCaller[]) {
      const asCaller = client(TOKENS[caller]);
      results[caller] = {
        check: await codeOf(asCaller.check({ accountId: 'a', phone: '+447911123456' })),
        getEntry: await codeOf(
          asCaller.getEntry({ accountId: 'a', asOperator: false, entryId: 'e' }),
        ),
        // Not in the table at all: nobody.
        listEntries: await codeOf(
          asCaller.listEntries({
            accountId: 'a',
            asOperator: false,
            pageSize: 1,
            pageToken: '',
            phone: '',
            scope: interceptionV1.Scope.SCOPE_UNSPECIFIED,
            state: interceptionV1.EntryState.ENTRY_STATE_UNSPECIFIED,
          } as interceptionV1.ListEntriesRequest),
        ),
      };
    }
    expect(results).toEqual({
      gateway: { check: 'OK', getEntry: 'OK', listEntries: 'PERMISSION_DENIED' },
      'status-tracker': {
        check: 'PERMISSION_DENIED',
        getEntry: 'PERMISSION_DENIED',
        listEntries: 'PERMISSION_DENIED',
      },
      'reply-service': {
        check: 'PERMISSION_DENIED',
        getEntry: 'PERMISSION_DENIED',
        listEntries: 'PERMISSION_DENIED',
      },
      'interception-service': {
        check: 'PERMISSION_DENIED',
        getEntry: 'PERMISSION_DENIED',
        listEntries: 'PERMISSION_DENIED',
      },
      sender: { check: 'OK', getEntry: 'PERMISSION_DENIED', listEntries: 'PERMISSION_DENIED' },
    });
  });

  it('honours as_operator from the gateway only', async () => {
    const deletion = (asOperator: boolean) => ({
      accountId: 'a',
      asOperator,
      entryId: 'e',
      actor: 'x',
    });
    expect(await codeOf(client(TOKENS.gateway).deleteEntry(deletion(true)))).toBe('OK');
    expect(await codeOf(client(TOKENS.sender).deleteEntry(deletion(false)))).toBe('OK');
    const error = await client(TOKENS.sender)
      .deleteEntry(deletion(true))
      .catch((e: { code: number; details: string }) => e);
    expect(error).toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'as_operator is honoured from the gateway only, not sender',
    });
  });
});

describe('gRPC over TLS', () => {
  let dir: string;
  let certificates: Record<string, string>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'grpc-tls-'));
    certificates = makeCertificates(dir);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves TLS when configured; a TLS client with the CA is answered, a plaintext one is not', async () => {
    const { app, target } = await startServer({
      GRPC_TLS_CERT: certificates['serverCert'],
      GRPC_TLS_KEY: certificates['serverKey'],
    });
    const tlsClient = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target,
        deadlineMs: 3000,
        callerToken: TOKENS.sender,
        tls: { GRPC_TLS_CA: certificates['ca'] },
      },
    );
    const plainClient = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 1000, callerToken: TOKENS.sender },
    );
    try {
      expect(await codeOf(tlsClient.check({ accountId: 'a', phone: '+447911123456' }))).toBe('OK');
      expect(await codeOf(plainClient.check({ accountId: 'a', phone: '+447911123456' }))).toMatch(
        /UNAVAILABLE|DEADLINE_EXCEEDED/,
      );
    } finally {
      tlsClient.close();
      plainClient.close();
      await app.close();
    }
  });

  it('with mTLS, requires a client certificate and takes the caller from its name', async () => {
    const { app, target } = await startServer({
      GRPC_TLS_CERT: certificates['serverCert'],
      GRPC_TLS_KEY: certificates['serverKey'],
      GRPC_TLS_CA: certificates['ca'],
      GRPC_TLS_REQUIRE_CLIENT_CERT: true,
    });
    const withCertificate = (name: 'gateway' | 'sender') =>
      createGrpcClient<interceptionV1.InterceptionServiceClient>(GRPC_SERVICES.interception, {
        target,
        deadlineMs: 3000,
        tls: {
          GRPC_TLS_CA: certificates['ca'],
          GRPC_TLS_CLIENT_CERT: certificates[`${name}Cert`],
          GRPC_TLS_CLIENT_KEY: certificates[`${name}Key`],
        },
      });
    const gateway = withCertificate('gateway');
    const sender = withCertificate('sender');
    const anonymous = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 1000, tls: { GRPC_TLS_CA: certificates['ca'] } },
    );
    const asOperator = { accountId: '', asOperator: true, entryId: 'e' };
    try {
      expect(await codeOf(gateway.getEntry(asOperator))).toBe('OK');
      expect(await codeOf(sender.check({ accountId: 'a', phone: '+447911123456' }))).toBe('OK');
      expect(await codeOf(sender.getEntry(asOperator))).toBe('PERMISSION_DENIED');
      expect(await codeOf(anonymous.check({ accountId: 'a', phone: '+447911123456' }))).toMatch(
        /UNAVAILABLE|DEADLINE_EXCEEDED/,
      );
    } finally {
      for (const client of [gateway, sender, anonymous]) client.close();
      await app.close();
    }
  });
});
