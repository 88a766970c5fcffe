// Reply ingest through RecordReplies (batches of 500, several callers in flight) against a bare
// multi-row INSERT of the same rows into the same partitioned table, in the same run:
//   node -r ./tools/runtime/register.cjs bench/reply/ingest.ts [--replies 100000] [--callers 4]
//        [--batch 500] [--source]
// reply-service runs as its own process (compiled from dist/ unless --source) with status-tracker
// (attribution: every reply names its account and message, which status-tracker holds) and
// interception-service (1 reply in 50 is "TD", an unsubscribe handed over by the outbox).
import { performance } from 'node:perf_hooks';
import { GRPC_SERVICES, toTimestamp, type replyV1, type statusV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient } from '@sms/platform-grpc';
import { startWorkspaceService, type WorkspaceService } from '@sms/testing';
import { Client } from 'pg';
import { COMPILED_SERVICES, deployedNodeOptions, flag } from '../flags';
import { report, reportRss, rssMb } from '../report';

const REPLIES = flag('replies', 100_000);
const CALLERS = flag('callers', 4);
const BATCH = flag('batch', 500);
const ACCOUNT = 'bench-reply-acct';
const phoneOf = (id: number) => `+447922${String(id % 1_000_000).padStart(6, '0')}`;

async function throughput(
  batches: number,
  send: (batch: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let batch = next++; batch < batches; batch = next++) await send(batch);
    }),
  );
  return (batches * BATCH) / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const services: WorkspaceService[] = [];
  const clients: { close(): void }[] = [];
  try {
    const status = await startWorkspaceService({
      app: 'status-tracker',
      label: 'bench-reply-status',
      grpcService: '',
      env: deployedNodeOptions('status-tracker'),
      ...COMPILED_SERVICES,
    });
    services.push(status);
    const interception = await startWorkspaceService({
      app: 'interception-service',
      label: 'bench-reply-interception',
      grpcService: '',
      env: deployedNodeOptions('interception-service'),
      ...COMPILED_SERVICES,
    });
    services.push(interception);
    const reply = await startWorkspaceService({
      app: 'reply-service',
      label: 'bench-reply',
      grpcService: '',
      env: {
        STATUS_GRPC_TARGET: status.target,
        INTERCEPTION_GRPC_TARGET: interception.target,
        ...deployedNodeOptions('reply-service'),
      },
      ...COMPILED_SERVICES,
    });
    services.push(reply);
    const replyRssAfterStart = rssMb(reply.process.child.pid!);
    const statusClient = createGrpcClient<statusV1.StatusServiceClient>(GRPC_SERVICES.status, {
      target: status.target,
      deadlineMs: 60_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
    const replyClient = createGrpcClient<replyV1.ReplyServiceClient>(GRPC_SERVICES.reply, {
      target: reply.target,
      deadlineMs: 60_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.sender,
    });
    clients.push(statusClient, replyClient);

    const batches = Math.ceil(REPLIES / BATCH);
    const sentAt = new Date(Date.now() - 600_000);
    process.stdout.write(`recording ${batches * BATCH} messages the replies will answer …\n`);
    for (let batch = 0; batch < batches; batch++) {
      await statusClient.recordEvents({
        events: Array.from({ length: BATCH }, (_, i) => {
          const id = batch * BATCH + i;
          return {
            eventId: '',
            messageId: `msg-${id}`,
            occurredAt: toTimestamp(sentAt),
            accepted: {
              accountId: ACCOUNT,
              smsUser: 'bench',
              recipient: phoneOf(id),
              entries: 1,
              templateId: `tpl-${id % 20}`,
              templateType: 'TEMPLATE_TYPE_MARKETING' as never,
              labels: [],
            },
          };
        }),
      });
    }

    const receivedAt = new Date(Date.now() - 60_000);
    const replyOf = (id: number, prefix: string): replyV1.InboundReply => ({
      replyId: `${prefix}-${id}`,
      phone: phoneOf(id),
      content: id % 50 === 0 ? 'TD' : `Thanks, see you at ${id % 24}:00`,
      receivedAt: toTimestamp(receivedAt),
      operator: 'bench-operator',
      channel: 'bench-channel',
      accountId: ACCOUNT,
      messageId: `msg-${id}`,
    });
    // Warm-up: connections, JIT, the day's partition.
    await replyClient.recordReplies({
      replies: Array.from({ length: BATCH }, (_, i) => replyOf(i, 'warm')),
    });

    const replyPid = reply.process.child.pid!;
    let rssPeak = rssMb(replyPid);
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(replyPid) || 0);
    }, 200);
    const ingest = await throughput(batches, async (batch) => {
      const response = await replyClient.recordReplies({
        replies: Array.from({ length: BATCH }, (_, i) => replyOf(batch * BATCH + i, 'r')),
      });
      if (response.outcomes.some((o) => String(o.result) !== 'REPLY_RESULT_APPLIED'))
        throw new Error('a reply was not applied');
    });
    clearInterval(sampler);

    // Baseline: the same rows as one multi-row INSERT per batch, straight to PostgreSQL.
    const pool = await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        const connection = new Client({
          connectionString: reply.schema.databaseUrl,
          options: `-c search_path=${reply.schema.schema}`,
        });
        await connection.connect();
        return connection;
      }),
    );
    const columns = `reply_id, received_at, phone, content, operator, channel, account_id,
      message_id, template_id, labels, sms_user, attribution, keyword_action`;
    const bare = await throughput(batches, async (batch) => {
      const params: unknown[] = [];
      const rows: string[] = [];
      for (let i = 0; i < BATCH; i++) {
        const id = batch * BATCH + i;
        const p = params.length;
        rows.push(`(${Array.from({ length: 13 }, (_, c) => `$${p + c + 1}`).join(', ')})`);
        params.push(
          `bare-${id}`,
          receivedAt,
          phoneOf(id),
          id % 50 === 0 ? 'TD' : `Thanks, see you at ${id % 24}:00`,
          'bench-operator',
          'bench-channel',
          ACCOUNT,
          `msg-${id}`,
          `tpl-${id % 20}`,
          [],
          'bench',
          'MESSAGE_ID',
          id % 50 === 0 ? 'UNSUBSCRIBE' : 'NONE',
        );
      }
      await pool[batch % CALLERS].query(
        `insert into reply (${columns}) values ${rows.join(', ')}`,
        params,
      );
    });
    await Promise.all(pool.map((connection) => connection.end()));

    const line = (text: string) => process.stdout.write(`${text}\n`);
    line(
      `${(batches * BATCH).toLocaleString('en-GB')} replies, batches of ${BATCH}, ${CALLERS} callers`,
    );
    line(`RecordReplies (attributed by message id): ${Math.round(ingest)} replies/s`);
    line(`baseline, bare multi-row INSERT:         ${Math.round(bare)} rows/s`);
    line(`RecordReplies = ${((100 * ingest) / bare).toFixed(0)}% of the bare INSERT`);
    line(`reply-service RSS peak during the ingest: ${rssPeak.toFixed(0)} MB`);
    report({
      measure: 'RecordReplies ingest vs bare INSERT',
      value: ingest,
      unit: 'replies/s',
      baseline: { label: 'bare multi-row INSERT', value: bare },
      goalText: '— (no SPEC 7 line; reported)',
    });
    reportRss('reply-service', 'after start-up', replyRssAfterStart);
    reportRss('reply-service', 'peak under ingest', rssPeak);
    reportRss(
      'status-tracker',
      'after answering the attributions',
      rssMb(status.process.child.pid!),
    );
  } finally {
    for (const client of clients) client.close();
    for (const service of services.reverse()) await service.stop('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
