import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { createGrpcClient } from '@sms/platform-grpc';
import { createServer } from 'node:net';
import { freePort, grpcHealthStatus, startServiceProcess, waitFor } from '@sms/testing';

const FIXTURE = 'libs/platform/runtime/test/fixture/main.ts';

describe('runService (real process)', () => {
  it('finishes an in-flight gRPC call on SIGTERM, then exits 0', async () => {
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const service = startServiceProcess(FIXTURE, {
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      CHECK_DELAY_MS: '1500',
    });
    const target = `127.0.0.1:${grpcPort}`;
    await waitFor(() => grpcHealthStatus(target).then((status) => status === 'SERVING'), {
      timeoutMs: 20_000,
      description: 'fixture SERVING',
    });
    // BIND_HOST's default: this machine only, as README says.
    expect(service.output()).toContain(`ready: HTTP 127.0.0.1:${httpPort}`);
    // configureApp ran before the app listened.
    const configured = await fetch(`http://127.0.0.1:${httpPort}/configured`);
    expect(await configured.json()).toEqual({ configured: true });
    const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target,
        deadlineMs: 5000,
      },
    );
    const inFlight = client.check({ accountId: 'a', phone: '+447911123456' });
    await waitFor(() => service.output().includes('check received'), {
      description: 'the call in flight',
    });
    service.child.kill('SIGTERM');
    await expect(inFlight).resolves.toMatchObject({ verdict: 'VERDICT_ALLOW' });
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.output()).toMatch(/SIGTERM received: draining[\s\S]*stopped/);
    client.close();
  });

  it('exits when the drain exceeds the deadline', async () => {
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const service = startServiceProcess(FIXTURE, {
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      CHECK_DELAY_MS: '10000',
      SHUTDOWN_DEADLINE_MS: '300',
    });
    const target = `127.0.0.1:${grpcPort}`;
    await waitFor(() => grpcHealthStatus(target).then((status) => status === 'SERVING'), {
      timeoutMs: 20_000,
    });
    const client = createGrpcClient<interceptionV1.InterceptionServiceClient>(
      GRPC_SERVICES.interception,
      {
        target,
        deadlineMs: 15_000,
      },
    );
    const inFlight = client
      .check({ accountId: 'a', phone: '+447911123456' })
      .catch((error: Error) => error);
    await waitFor(() => service.output().includes('check received'), {
      description: 'the call in flight',
    });
    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.output()).toMatch(/shutdown deadline of 300 ms passed/);
    expect(await inFlight).toBeInstanceOf(Error);
    client.close();
  });

  it('exits 78 naming the bad variable', async () => {
    const service = startServiceProcess(FIXTURE, { HTTP_PORT: 'eighty', GRPC_PORT: '1' });
    expect((await service.exited).code).toBe(78);
    expect(service.output()).toMatch(/HTTP_PORT: must be a port number/);
  });

  it('says a port is taken and asks whether the system already runs, instead of a stack', async () => {
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(httpPort, '0.0.0.0', resolve));
    try {
      const service = startServiceProcess(FIXTURE, {
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
      });
      expect((await service.exited).code).toBe(1);
      expect(service.output()).toContain(`cannot listen on port ${httpPort}: it is in use`);
      expect(service.output()).toMatch(/already running/);
      expect(service.output()).not.toMatch(/"stack"/);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
