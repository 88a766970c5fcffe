import { Controller, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { GRPC_SERVICES, interceptionV1 } from '@sms/contracts';
import { InvalidArgumentError } from '@sms/errors';
import { METRICS_REGISTRY, Registry } from '@sms/platform-metrics';
import { freePort } from '@sms/testing';
import {
  createGrpcClient,
  directGrpcMethod,
  GrpcCallerGuard,
  GrpcHealth,
  grpcServerOptions,
  serveGrpc,
  type EncodedMessage,
  type GrpcClient,
} from './index';

// Direct methods over real gRPC: answered without Nest's pipeline, yet behind the same caller
// guard, counted by the same metrics and mapped by the same error rules as the Nest-served RPCs.

@Controller()
class FakeController {
  calls = 0;

  @directGrpcMethod('InterceptionService')
  async check(request: interceptionV1.CheckRequest): Promise<interceptionV1.CheckResponse> {
    this.calls += 1;
    await Promise.resolve();
    if (!request.phone) throw new InvalidArgumentError('phone is required');
    if (request.phone === 'bug') throw new Error('database password is hunter2');
    return {
      phone: request.phone,
      verdict: interceptionV1.Verdict.VERDICT_ALLOW,
      entry: undefined,
      unsubscribe: undefined,
    };
  }

  // Bytes encoded by the handler: CheckBatchVerdictsResponse { verdicts: [{ phone: "+1", verdict: 2 }] }.
  @directGrpcMethod('InterceptionService')
  checkBatchVerdicts(): Promise<EncodedMessage<interceptionV1.CheckBatchVerdictsResponse>> {
    const verdict = Buffer.from([0x0a, 2, 0x2b, 0x31, 0x10, 2]);
    return Promise.resolve(Buffer.concat([Buffer.from([0x0a, verdict.length]), verdict]));
  }

  @GrpcMethod('InterceptionService', 'getEntry')
  getEntry(): interceptionV1.GetEntryResponse {
    return { entry: undefined };
  }
}

@Module({
  controllers: [FakeController],
  providers: [{ provide: METRICS_REGISTRY, useValue: new Registry() }],
})
class FakeModule {}

const TOKENS = {
  sender: 'token-of-the-sender-0123456789abcdefg',
  gateway: 'token-of-the-gateway-0123',
};

describe('direct gRPC methods', () => {
  let app: INestApplication;
  let target: string;
  const clients: GrpcClient<interceptionV1.InterceptionServiceClient>[] = [];
  const client = (token?: string) => {
    const made = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      { target, deadlineMs: 5000, callerToken: token },
    );
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    target = `127.0.0.1:${await freePort()}`;
    app = await NestFactory.create(FakeModule, { logger: false });
    const guard = new GrpcCallerGuard({
      tokens: TOKENS,
      policy: { check: ['sender'], checkBatchVerdicts: ['sender'], getEntry: ['gateway'] },
    });
    await serveGrpc(
      app,
      grpcServerOptions({
        service: GRPC_SERVICES.interception,
        url: target,
        health: new GrpcHealth('sms.interception.v1.InterceptionService'),
      }),
      guard,
    );
    await app.init();
  });

  afterAll(async () => {
    for (const made of clients) made.close();
    await app.close();
  });

  it('answers with the returned object or the returned bytes', async () => {
    await expect(client(TOKENS.sender).check({ accountId: 'a', phone: '+1' })).resolves.toEqual({
      phone: '+1',
      verdict: 'VERDICT_ALLOW',
      entry: null,
      unsubscribe: null,
    });
    await expect(
      client(TOKENS.sender).checkBatchVerdicts({ accountId: 'a', phones: ['+1'] }),
    ).resolves.toEqual({ verdicts: [{ phone: '+1', verdict: 'VERDICT_GLOBAL_BLOCK' }] });
  });

  it('refuses callers the guard refuses, before the handler runs', async () => {
    const controller = app.get(FakeController);
    const before = controller.calls;
    await expect(client().check({ accountId: 'a', phone: '+1' })).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    await expect(
      client(TOKENS.gateway).check({ accountId: 'a', phone: '+1' }),
    ).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
      details: 'caller gateway may not call check',
    });
    expect(controller.calls).toBe(before);
  });

  it('maps domain errors to their status and hides unexpected ones as INTERNAL', async () => {
    await expect(client(TOKENS.sender).check({ accountId: 'a', phone: '' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'phone is required',
    });
    await expect(
      client(TOKENS.sender).check({ accountId: 'a', phone: 'bug' }),
    ).rejects.toMatchObject({ code: status.INTERNAL, details: 'internal error' });
  });

  it('leaves the other RPCs to Nest, guard included', async () => {
    await expect(
      client(TOKENS.gateway).getEntry({ accountId: 'a', asOperator: false, entryId: 'e' }),
    ).resolves.toEqual({ entry: null });
    await expect(
      client(TOKENS.sender).getEntry({ accountId: 'a', asOperator: false, entryId: 'e' }),
    ).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
  });

  it('counts handled calls in grpc_server_handled_total by method and code', async () => {
    const sender = client(TOKENS.sender);
    await sender.check({ accountId: 'a', phone: '+1' });
    await sender.checkBatchVerdicts({ accountId: 'a', phones: ['+1'] });
    await sender.check({ accountId: 'a', phone: '' }).catch(() => undefined);
    await sender.check({ accountId: 'a', phone: 'bug' }).catch(() => undefined);
    await client()
      .check({ accountId: 'a', phone: '+1' })
      .catch(() => undefined);
    const registry = app.get<Registry>(METRICS_REGISTRY);
    const handled = await registry.getSingleMetricAsString('grpc_server_handled_total');
    expect(handled).toMatch(/grpc_server_handled_total\{method="check",code="OK"\} [1-9]/);
    expect(handled).toMatch(
      /grpc_server_handled_total\{method="check",code="INVALID_ARGUMENT"\} [1-9]/,
    );
    expect(handled).toMatch(/grpc_server_handled_total\{method="check",code="INTERNAL"\} [1-9]/);
    expect(handled).toMatch(
      /grpc_server_handled_total\{method="checkBatchVerdicts",code="OK"\} [1-9]/,
    );
    // Refused callers are not handled calls.
    expect(handled).not.toMatch(/code="UNAUTHENTICATED"|code="PERMISSION_DENIED"/);
  });
});
