import { getQueueToken } from '@nestjs/bullmq';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { GRPC_SERVICES, type interceptionV1 } from '@sms/contracts';
import { GrpcHealth, grpcServerOptions, GrpcStatus } from '@sms/platform-grpc';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { freePort, waitFor } from '@sms/testing';
import type { Queue } from 'bullmq';
import { MaintenanceService } from '../src/maintenance/maintenance.service';
import { FAILURE_OUTBOX_QUEUE, FailureOutboxService } from '../src/outbox/failure-outbox.service';
import { accepted, delivered, minutesAgo, sendFailed, submitted } from './message-events';
import { startStatusTestApp, type StatusTestApp } from './status-test-app';

// Stands in for interception-service (built concurrently): a real gRPC server speaking the real
// InterceptionService contract, counting RecordFailure calls per (message, code).
const received = new Map<string, number>();
const requests: interceptionV1.RecordFailureRequest[] = [];

@Controller()
class RecordFailureController {
  @GrpcMethod('InterceptionService', 'recordFailure')
  recordFailure(
    request: interceptionV1.RecordFailureRequest,
  ): interceptionV1.RecordFailureResponse {
    if (request.messageId.startsWith('ob-invalid')) {
      throw new RpcException({ code: GrpcStatus.INVALID_ARGUMENT, message: 'phone: not a number' });
    }
    const key = `${request.messageId}/${String(request.code)}`;
    received.set(key, (received.get(key) ?? 0) + 1);
    requests.push(request);
    return { outcome: 'FAILURE_OUTCOME_CREATED' as never, entry: undefined };
  }
}

@Module({ controllers: [RecordFailureController] })
class InterceptionStandInModule {}

async function startInterception(url: string): Promise<INestMicroservice> {
  const server = await NestFactory.createMicroservice(InterceptionStandInModule, {
    ...grpcServerOptions({
      service: GRPC_SERVICES.interception,
      url,
      health: new GrpcHealth('sms.interception.v1.InterceptionService'),
    }),
    logger: false,
  });
  await server.listen();
  return server;
}

describe('failure outbox to InterceptionService.RecordFailure (real Redis, BullMQ, gRPC)', () => {
  let t: StatusTestApp;
  let interception: INestMicroservice | undefined;
  let url: string;

  beforeAll(async () => {
    url = `127.0.0.1:${await freePort()}`;
    interception = await startInterception(url);
    t = await startStatusTestApp('status-outbox', {
      INTERCEPTION_GRPC_TARGET: url,
      GRPC_DEADLINE_MS: '1000',
      OUTBOX_BACKOFF_MS: '100',
      OUTBOX_MAX_BACKOFF_MS: '1000',
      // Few attempts, so an outage outlasts them all (the relay re-arms under a fresh job id).
      OUTBOX_ATTEMPTS: '3',
      OUTBOX_RELAY_INTERVAL_MS: '1000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await interception?.close();
  });

  const outboxFailures = async () => {
    const metrics = await t.app
      .get<Registry>(METRICS_REGISTRY)
      .getSingleMetricAsString('status_outbox_failures_total');
    return [...metrics.matchAll(/status_outbox_failures_total\{[^}]*\} (\d+)/g)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
  };
  const queueIdle = async () => {
    const queue = t.app.get<Queue>(getQueueToken(FAILURE_OUTBOX_QUEUE));
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).every((count) => count === 0);
  };

  it('hands every real send failure over exactly once, even across an outage', async () => {
    const at = minutesAgo(10);
    const before = Array.from({ length: 3 }, (_, i) => `ob-before-${i}`);
    await t.client.recordEvents({
      events: before.flatMap((m) => [
        accepted(m, at),
        submitted(m, at),
        sendFailed(m, minutesAgo(9)),
      ]),
    });
    await waitFor(() => before.every((m) => received.get(`${m}/SEND_FAILURE_CODE_EMPTY`) === 1), {
      description: 'failures handed over while interception is up',
    });
    expect(requests[0]).toMatchObject({
      accountId: 'acct-1',
      phone: '+447911123456',
      code: 'SEND_FAILURE_CODE_EMPTY',
      detail: 'UNDELIV',
      occurredAt: { seconds: expect.any(Number) },
    });

    // Interception goes down while failures keep arriving.
    await interception?.close();
    interception = undefined;
    const during = Array.from({ length: 20 }, (_, i) => `ob-during-${i}`);
    const codes = ['SEND_FAILURE_CODE_BUSY', 'SEND_FAILURE_CODE_BLACKLIST'];
    const failedAt = minutesAgo(8);
    const response = await t.client.recordEvents({
      events: [
        ...during.flatMap((m, i) => [accepted(m, at), sendFailed(m, failedAt, codes[i % 2])]),
        // A duplicate and a conflicting receipt: neither is a new failure.
        sendFailed(during[0], failedAt, codes[0]),
        sendFailed(during[1], minutesAgo(7), 'SEND_FAILURE_CODE_EMPTY'),
        // Delivered messages are none of the interception service's business.
        accepted('ob-delivered', at),
        delivered('ob-delivered', failedAt),
      ],
    });
    expect(response.outcomes.slice(40, 42).map((o) => o.result)).toEqual([
      'EVENT_RESULT_DUPLICATE',
      'EVENT_RESULT_IGNORED',
    ]);
    await waitFor(async () => (await outboxFailures()) >= 20, {
      description: 'RecordFailure attempts failing during the outage',
      timeoutMs: 15_000,
    });

    // A crash between commit and enqueue leaves a row in failure_outbox: the relay sends it.
    await t.sql.query(
      `insert into failure_outbox (message_id, code, request, created_at)
       values ('ob-crash', 550, $1, now() - interval '1 minute')`,
      [
        JSON.stringify({
          accountId: 'acct-1',
          phone: '+447911123456',
          messageId: 'ob-crash',
          code: 550,
          detail: 'left behind',
          occurredAt: failedAt.toISOString(),
        }),
      ],
    );
    // The maintenance job runs the same relay every second: whichever run reads the row first
    // re-arms it, and only one can (the round moves on in a conditional UPDATE).
    const relayed = await t.app.get(MaintenanceService).relayOutbox(new Date());
    const crashed = await t.sql.query<{ round: number }>(
      `select round from failure_outbox where message_id = 'ob-crash'`,
    );
    expect(crashed.rows[0]?.round).toBeGreaterThanOrEqual(1);
    expect(relayed).toBeLessThanOrEqual(1);

    interception = await startInterception(url);
    const expected = [
      ...before.map((m) => `${m}/SEND_FAILURE_CODE_EMPTY`),
      ...during.map((m, i) => `${m}/${codes[i % 2]}`),
      'ob-crash/SEND_FAILURE_CODE_INTERCEPTION',
    ];
    await waitFor(() => expected.every((key) => received.get(key) === 1), {
      description: 'every failure handed over after the outage',
      timeoutMs: 30_000,
    });
    await waitFor(queueIdle, { description: 'the outbox queue to drain' });
    // Re-enqueueing the same failure (e.g. relay racing the inline enqueue) stays one job.
    await t.app
      .get(FailureOutboxService)
      .enqueue([{ messageId: 'ob-before-0', code: 500, request: requests[0] as never }]);
    expect(await queueIdle()).toBe(true);
    expect([...received.keys()].sort()).toEqual([...expected].sort());
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    expect((await t.sql.query('select * from failure_outbox')).rowCount).toBe(0);
  });

  it('keeps a failure through an outage longer than all its attempts and delivers it exactly once after', async () => {
    await interception?.close();
    interception = undefined;
    const queue = t.app.get<Queue>(getQueueToken(FAILURE_OUTBOX_QUEUE));
    await t.client.recordEvents({
      events: [accepted('ob-long', minutesAgo(5)), sendFailed('ob-long', minutesAgo(4))],
    });
    await waitFor(async () => (await queue.getJobState('failure-ob-long-500')) === 'failed', {
      description: 'the first round to use up its attempts',
      timeoutMs: 15_000,
    });
    const rows = await t.sql.query(`select round from failure_outbox where message_id = 'ob-long'`);
    expect(rows.rows).toEqual([{ round: 0 }]);

    interception = await startInterception(url);
    // The relay (also run every second by the maintenance job) re-arms it as round 1.
    await t.app.get(FailureOutboxService).relay(new Date(Date.now() + 60_000));
    await waitFor(() => received.get('ob-long/SEND_FAILURE_CODE_EMPTY') === 1, {
      description: 'the failure delivered after the outage',
      timeoutMs: 15_000,
    });
    await waitFor(
      async () =>
        (await t.sql.query(`select 1 from failure_outbox where message_id = 'ob-long'`))
          .rowCount === 0,
      { description: 'the row removed once confirmed' },
    );
    expect(await t.app.get(FailureOutboxService).relay(new Date(Date.now() + 60_000))).toBe(0);
    await waitFor(queueIdle, { description: 'the outbox queue to drain' });
    expect(received.get('ob-long/SEND_FAILURE_CODE_EMPTY')).toBe(1);
  });

  it('moves a failure interception-service refuses for good (INVALID_ARGUMENT) to the dead-letter list', async () => {
    const deadLettersBefore = await t.app
      .get<Registry>(METRICS_REGISTRY)
      .getSingleMetricAsString('status_outbox_dead_letters_total');
    expect(deadLettersBefore).toMatch(/status_outbox_dead_letters_total(\{[^}]*\})? 0/);
    await t.client.recordEvents({
      events: [accepted('ob-invalid-1', minutesAgo(5)), sendFailed('ob-invalid-1', minutesAgo(4))],
    });
    const letters = await waitFor(
      async () => {
        const found = await t.app.get(FailureOutboxService).deadLetters(10);
        return found.length > 0 ? found : undefined;
      },
      { description: 'the dead letter' },
    );
    expect(letters).toEqual([
      expect.objectContaining({
        messageId: 'ob-invalid-1',
        code: 500,
        error: expect.stringContaining('phone: not a number'),
      }),
    ]);
    expect(
      (await t.sql.query(`select 1 from failure_outbox where message_id = 'ob-invalid-1'`))
        .rowCount,
    ).toBe(0);
    expect(
      await t.app
        .get<Registry>(METRICS_REGISTRY)
        .getSingleMetricAsString('status_outbox_dead_letters_total'),
    ).toMatch(/status_outbox_dead_letters_total(\{[^}]*\})? 1/);
    // Operators see it through StatusService.ListDeadLetters (GET /v1/admin/dead-letters).
    const listed = await t.client.listDeadLetters({ pageSize: 0, pageToken: '', kind: '' });
    expect(listed).toEqual({
      deadLetters: [
        expect.objectContaining({
          kind: 'record_failure',
          key: 'ob-invalid-1/500',
          accountId: 'acct-1',
          phone: '+447911123456',
          error: expect.stringContaining('phone: not a number'),
        }),
      ],
      nextPageToken: '',
    });
    await expect(
      t.client.listDeadLetters({ pageSize: 501, pageToken: '', kind: '' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      details: expect.stringMatching(/page_size must be between 1 and 500/),
    });
  });
});
