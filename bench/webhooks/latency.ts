// End-to-end webhook latency: RecordEvents on status-tracker → message.status POST at a local
// receiver, through webhook_outbox, the relay, PublishEvents, the dispatcher's claims and an HTTP
// attempt. Both services run as real processes (compiled from dist/ unless --source);
// `--rate` ACCEPTED events per second for `--seconds`, one status change (and one webhook) each.
//   node -r ./tools/runtime/register.cjs bench/webhooks/latency.ts [--rate 1000] [--seconds 20]
//        [--wait 300] [--endpoint-concurrency 16] [--source]
import { GRPC_SERVICES, toTimestamp, type statusV1, type webhookV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { freePort, startWorkspaceService, TestReceiver, waitFor } from '@sms/testing';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, report, reportRss, rssMb } from '../report';
import { COMPILED_SERVICES, deployedNodeOptions } from '../flags';
import { flag, log, percentile } from '../status/bench-support';

/** An ACCEPTED event of a new message: one status change, one webhook. */
function accepted(messageId: string): statusV1.MessageEvent {
  return {
    eventId: '',
    messageId,
    occurredAt: toTimestamp(new Date()),
    accepted: {
      accountId: 'acct-bench',
      smsUser: 'bench',
      recipient: '+447911123456',
      entries: 1,
      templateId: 'tpl',
      templateType: 'TEMPLATE_TYPE_NOTIFICATION' as statusV1.AcceptedDetail['templateType'],
      labels: [],
    },
  };
}

async function main(): Promise<void> {
  const rate = flag('rate', 1000);
  const seconds = flag('seconds', 20);
  const endpointConcurrency = flag('endpoint-concurrency', 16);
  const receiver = await new TestReceiver().start();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  receiver.on('/bench', (request) => {
    const id = (JSON.parse(request.body) as { data: { messageId: string } }).data.messageId;
    const start = sentAt.get(id);
    if (start !== undefined) latencies.push(performance.now() - start);
    return 200;
  });
  const dispatcherPort = await freePort();
  const dispatcher = await startWorkspaceService({
    app: 'webhook-dispatcher',
    label: 'bench-webhooks',
    grpcService: 'sms.webhook.v1.WebhookService',
    grpcPort: dispatcherPort,
    env: {
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
      LOG_LEVEL: 'warn',
      // One endpoint takes every event here: its limit of attempts in flight (default 16).
      WEBHOOK_ENDPOINT_CONCURRENCY: String(endpointConcurrency),
      ...deployedNodeOptions('webhook-dispatcher'),
    },
    timeoutMs: 120_000,
    ...COMPILED_SERVICES,
  });
  const status = await startWorkspaceService({
    app: 'status-tracker',
    label: 'bench-webhooks',
    grpcService: 'sms.status.v1.StatusService',
    env: {
      WEBHOOK_GRPC_TARGET: `127.0.0.1:${dispatcherPort}`,
      LOG_LEVEL: 'warn',
      ...deployedNodeOptions('status-tracker'),
    },
    timeoutMs: 120_000,
    ...COMPILED_SERVICES,
  });
  const rssAfterStart = {
    dispatcher: rssMb(dispatcher.process.child.pid!),
    status: rssMb(status.process.child.pid!),
  };
  const webhooks = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
    target: dispatcher.target,
    deadlineMs: 10_000,
    callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
  });
  const sender = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
    target: status.target,
    deadlineMs: 30_000,
    callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
  });
  try {
    await webhooks.createEndpoint({
      accountId: 'acct-bench',
      url: receiver.url('/bench'),
      eventTypes: ['message.status'],
    });
    // Warm-up (JIT, pools, keep-alive connections), not measured: 5 batches of 100 through the
    // whole path, awaited.
    for (let n = 0; n < 5; n++) {
      await sender.recordEvents({
        events: Array.from({ length: 100 }, (_, i) => accepted(`warm-${n}-${i}`)),
      });
    }
    await waitFor(() => receiver.requests.length >= 500, {
      timeoutMs: 120_000,
      intervalMs: 100,
      description: 'the warm-up webhooks',
    });
    const started = performance.now();
    const cpuBefore = {
      dispatcher: cpuSeconds(dispatcher.process.child.pid!),
      status: cpuSeconds(status.process.child.pid!),
    };
    // Where a backlog builds up, every 2 s: status-tracker's outbox, the dispatcher's pending
    // deliveries, the receiver.
    const statusDb = new Client({ connectionString: status.schema.databaseUrl });
    const dispatcherDb = new Client({ connectionString: dispatcher.schema.databaseUrl });
    await statusDb.connect();
    await dispatcherDb.connect();
    const depth = async (db: Client, sql: string) =>
      Number((await db.query<{ n: string }>(sql)).rows[0]?.n);
    const progress = setInterval(() => {
      void Promise.all([
        depth(statusDb, `select count(*) as n from "${status.schema.schema}".webhook_outbox`),
        depth(
          dispatcherDb,
          `select count(*) as n from "${dispatcher.schema.schema}".webhook_delivery where status = 'PENDING'`,
        ),
      ])
        .then(([outbox, pending]) =>
          log(
            `  ${((performance.now() - started) / 1000).toFixed(0)} s: sent ${sent}, outbox ${outbox}, pending deliveries ${pending}, received ${latencies.length}`,
          ),
        )
        .catch(() => undefined);
    }, 2000);
    // Batches of rate/10 every 100 ms, as a sending service flushing its buffer would.
    const batch = Math.max(1, Math.round(rate / 10));
    const total = Math.round(rate * seconds);
    let sent = 0;
    const calls: Promise<unknown>[] = [];
    while (sent < total) {
      const due = started + (sent / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const events: statusV1.MessageEvent[] = [];
      for (let i = 0; i < batch && sent < total; i++, sent++) {
        const messageId = `bench-${sent}`;
        sentAt.set(messageId, performance.now());
        events.push(accepted(messageId));
      }
      calls.push(sender.recordEvents({ events }));
    }
    await Promise.all(calls);
    const sendSeconds = (performance.now() - started) / 1000;
    const waitSeconds = flag('wait', 300);
    // Reports what arrived by the deadline too: a backlog is a figure, not a crash.
    let dispatcherRss = 0;
    await waitFor(
      () => {
        dispatcherRss = Math.max(dispatcherRss, rssMb(dispatcher.process.child.pid!) || 0);
        return latencies.length >= total;
      },
      { timeoutMs: waitSeconds * 1000, intervalMs: 250, description: 'every webhook' },
    ).catch(() => log(`  NOT every webhook arrived within ${waitSeconds} s`));
    const drainSeconds = (performance.now() - started) / 1000;
    const cpuMs = (pid: number, before: number) =>
      ((cpuSeconds(pid) - before) * 1000) / Math.max(1, latencies.length);
    const dispatcherCpu = cpuMs(dispatcher.process.child.pid!, cpuBefore.dispatcher);
    const statusCpu = cpuMs(status.process.child.pid!, cpuBefore.status);
    clearInterval(progress);
    await statusDb.end();
    await dispatcherDb.end();
    const load = loadavg().map((value) => value.toFixed(1));
    latencies.sort((a, b) => a - b);
    const offered = total / sendSeconds;
    const achieved = latencies.length / drainSeconds;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(
      `webhooks: ${total} RecordEvents ACCEPTED at ${rate}/s target, offered ${offered.toFixed(0)}/s (sent in ${sendSeconds.toFixed(1)} s)`,
    );
    log(
      `  delivered ${latencies.length} (distinct ids ${new Set(receiver.requests.map((r) => r.id)).size - 500}, requests ${receiver.requests.length - 500}, after 500 of warm-up) in ${drainSeconds.toFixed(1)} s: ${achieved.toFixed(0)} webhooks/s end to end`,
    );
    log(
      `  RecordEvents → receiver latency: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms`,
    );
    log(
      `  CPU per webhook: webhook-dispatcher ${dispatcherCpu.toFixed(2)} ms, status-tracker ${statusCpu.toFixed(2)} ms (ingest, outbox and relay): one idle core each would carry ~${(1000 / Math.max(dispatcherCpu, statusCpu)).toFixed(0)}/s`,
    );
    for (const service of [status, dispatcher]) {
      const warnings = service
        .output()
        .split('\n')
        .filter((line) => /"level":(40|50|60)/.test(line));
      if (warnings.length) {
        log(
          `  ${service.app}: ${warnings.length} warning(s), the last: ${warnings.at(-1)?.slice(0, 300)}`,
        );
      }
    }
    log(`  load average ${load.join(' / ')} (1 / 5 / 15 min) at the end`);
    log(
      `  one endpoint, WEBHOOK_ENDPOINT_CONCURRENCY ${endpointConcurrency}; the receiver (in this process) answers 200 at once`,
    );
    const at = `${Math.round(offered)}/s offered`;
    report({
      measure: 'webhooks delivered end to end (RecordEvents → receiver)',
      value: achieved,
      unit: 'webhooks/s',
      goal: { kind: 'at-least', limit: Math.min(rate, 1000) * 0.95 },
      goalText: `≥ 1,000 events/s (issue 16; ${rate}/s offered, 5 % slack)`,
    });
    report({
      measure: `webhook latency p50, ${at}`,
      value: p50,
      unit: 'ms',
      goalText: '— (issue 16: reported)',
    });
    report({
      measure: `webhook latency p99, ${at}`,
      value: p99,
      unit: 'ms',
      goalText: '— (issue 16: reported)',
    });
    report({
      measure: 'webhook-dispatcher CPU per webhook',
      value: dispatcherCpu,
      unit: 'ms',
      goalText: '— (reported)',
    });
    reportRss('webhook-dispatcher', 'after start-up', rssAfterStart.dispatcher);
    reportRss('webhook-dispatcher', 'peak under the stream', dispatcherRss);
    reportRss('status-tracker', 'after start-up', rssAfterStart.status);
    reportRss('status-tracker', 'after the stream', rssMb(status.process.child.pid!));
  } finally {
    webhooks.close();
    sender.close();
    await status.stop('SIGTERM');
    await dispatcher.stop('SIGTERM');
    await receiver.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
