import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { status, type ServiceError } from '@grpc/grpc-js';
import { GRPC_SERVICES, interceptionV1 } from '@sms/contracts';
import { InvalidArgumentError } from '@sms/errors';
import { freePort, grpcHealthStatus } from '@sms/testing';
import {
  createGrpcClient,
  GrpcDomainErrorFilter,
  GrpcHealth,
  grpcServerOptions,
  type GrpcClient,
} from './index';

// Only three methods: the generated ControllerMethods decorator insists on all of them.
@Controller()
class FakeInterceptionController implements Partial<interceptionV1.InterceptionServiceController> {
  @GrpcMethod('InterceptionService', 'check')
  check(request: interceptionV1.CheckRequest): interceptionV1.CheckResponse {
    if (!request.phone) throw new InvalidArgumentError('phone is required');
    return {
      phone: request.phone,
      verdict: interceptionV1.Verdict.VERDICT_ALLOW,
      entry: undefined,
      unsubscribe: undefined,
    };
  }

  @GrpcMethod('InterceptionService', 'checkBatch')
  checkBatch(): interceptionV1.CheckBatchResponse {
    throw new Error('database password is hunter2');
  }

  @GrpcMethod('InterceptionService', 'getEntry')
  async getEntry(): Promise<interceptionV1.GetEntryResponse> {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { entry: undefined };
  }
}

@Module({ controllers: [FakeInterceptionController] })
class FakeModule {}

describe('gRPC server and client over loopback', () => {
  let app: INestMicroservice;
  let client: GrpcClient<interceptionV1.InterceptionServiceClient>;
  let target: string;
  const health = new GrpcHealth('sms.interception.v1.InterceptionService');

  beforeAll(async () => {
    target = `127.0.0.1:${await freePort()}`;
    app = await NestFactory.createMicroservice(FakeModule, {
      ...grpcServerOptions({ service: GRPC_SERVICES.interception, url: target, health }),
      logger: false,
    });
    app.useGlobalFilters(new GrpcDomainErrorFilter());
    await app.listen();
    client = createGrpcClient(GRPC_SERVICES.interception, { target, deadlineMs: 2000 });
  });

  afterAll(async () => {
    client.close();
    await app.close();
  });

  it('answers a call through the contract', async () => {
    const response = await client.check({ accountId: 'a', phone: '+447911123456' });
    expect(response).toMatchObject({ phone: '+447911123456', verdict: 'VERDICT_ALLOW' });
  });

  it('maps domain errors to their gRPC status with the message', async () => {
    await expect(client.check({ accountId: 'a', phone: '' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'phone is required',
    });
  });

  it('answers INTERNAL for unexpected errors without leaking their text', async () => {
    const error = await client
      .checkBatch({ accountId: 'a', phones: [] })
      .catch((e: ServiceError) => e);
    expect(error).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
  });

  it('enforces the deadline of every call', async () => {
    await expect(
      client.getEntry({ accountId: 'a', asOperator: false, entryId: 'e' }, { deadlineMs: 50 }),
    ).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
    });
  });

  it('serves grpc.health.v1 following the health switch', async () => {
    expect(await grpcHealthStatus(target, 'sms.interception.v1.InterceptionService')).toBe(
      'NOT_SERVING',
    );
    health.setServing(true);
    expect(await grpcHealthStatus(target, '')).toBe('SERVING');
    expect(await grpcHealthStatus(target, 'sms.interception.v1.InterceptionService')).toBe(
      'SERVING',
    );
  });
});
