// End-to-end webhook latency: RecordEvents on status-tracker → message.status POST at a local
// receiver, through webhook_outbox, the relay, PublishEvents, the dispatcher's queue and an HTTP
// attempt. Both services run as real processes (compiled from dist/ unless --source: `npm run
// build` first); `--rate` ACCEPTED events per second for `--seconds`, one status change (and one
// webhook) each. Reports both services' RSS after start-up and at the peak of the run.
//   node -r ./tools/runtime/register.cjs bench/webhooks/latency.ts [--rate 1000] [--seconds 20] [--wait 300] [--source]
import { GRPC_SERVICES, toTimestamp, type statusV1, type webhookV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { freePort, startWorkspaceService, TestReceiver, waitFor } from '@sms/testing';
import { performance } from 'node:perf_hooks';
import { COMPILED_SERVICES, deployedNodeOptions } from '../flags';
import { report, reportRss, rssMb } from '../report';
import { flag, log, percentile } from '../status/bench-support';

async function main(): Promise<void> {
  const rate = flag('rate', 1000);
  const seconds = flag('seconds', 20);
  const receiver = await new TestReceiver().start();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  receiver.on('/bench', (request) => {
    const id = (JSON.parse(request.body) as { data: { message_id: string } }).data.message_id;
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
  const pids = { dispatcher: dispatcher.process.child.pid!, status: status.process.child.pid! };
  const afterStart = { dispatcher: rssMb(pids.dispatcher), status: rssMb(pids.status) };
  const peak = { ...afterStart };
  const rssSampler = setInterval(() => {
    peak.dispatcher = Math.max(peak.dispatcher, rssMb(pids.dispatcher) || 0);
    peak.status = Math.max(peak.status, rssMb(pids.status) || 0);
  }, 200);
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
    // Batches of rate/10 every 100 ms, as a sending service flushing its buffer would.
    const batch = Math.max(1, Math.round(rate / 10));
    const total = Math.round(rate * seconds);
    const started = performance.now();
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
        events.push({
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
        });
      }
      calls.push(sender.recordEvents({ events }));
    }
    await Promise.all(calls);
    const sendSeconds = (performance.now() - started) / 1000;
    const waitSeconds = flag('wait', 300);
    // Reports what arrived by the deadline too: a backlog is a figure, not a crash.
    await waitFor(() => latencies.length >= total, {
      timeoutMs: waitSeconds * 1000,
      intervalMs: 250,
      description: 'every webhook',
    }).catch(() => log(`  NOT every webhook arrived within ${waitSeconds} s`));
    const drainSeconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    log(
      `webhooks: ${total} RecordEvents ACCEPTED at ${rate}/s target (sent in ${sendSeconds.toFixed(1)} s)`,
    );
    log(
      `  delivered ${latencies.length} (distinct ids ${new Set(receiver.requests.map((r) => r.id)).size}, requests ${receiver.requests.length}) in ${drainSeconds.toFixed(1)} s: ${(total / drainSeconds).toFixed(0)} webhooks/s end to end`,
    );
    log(
      `  RecordEvents → receiver latency: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms`,
    );
    log(`  baseline: the issue's target is 1,000 events/s; the receiver answers 200 at once`);
    clearInterval(rssSampler);
    log(
      `  RSS webhook-dispatcher ${afterStart.dispatcher.toFixed(0)} MB after start-up, ${peak.dispatcher.toFixed(0)} MB peak; ` +
        `status-tracker ${afterStart.status.toFixed(0)} MB, ${peak.status.toFixed(0)} MB peak`,
    );
    report({
      measure: 'webhooks delivered end to end',
      value: total / drainSeconds,
      unit: 'webhooks/s',
      baseline: { label: 'RecordEvents rate sent', value: rate },
      goalText: '— (no SPEC 7 line; reported)',
    });
    reportRss('webhook-dispatcher', 'after start-up', afterStart.dispatcher);
    reportRss('webhook-dispatcher', 'peak delivering webhooks', peak.dispatcher);
    reportRss('status-tracker', 'peak relaying webhooks', peak.status);
  } finally {
    clearInterval(rssSampler);
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
