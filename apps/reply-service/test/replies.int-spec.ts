import { MikroORM } from '@mikro-orm/core';
import { Sql, type SqlParam } from '@sms/platform-database';
import { GRPC_SERVICES, fromTimestamp, toTimestamp, replyV1, type statusV1 } from '@sms/contracts';
import { GrpcStatus } from '@sms/platform-grpc';
import { METRICS_REGISTRY, type Registry } from '@sms/platform-metrics';
import { createRedis, hashTaggedPrefix } from '@sms/platform-redis';
import {
  createTestRedisPrefix,
  createTestSchema,
  deleteKeysWithPrefix,
  testInfrastructure,
  waitFor,
  type TestSchema,
} from '@sms/testing';
import { CountingProxy } from './support/counting-proxy';
import { startPeerServices, type PeerServices } from './support/peer-services';
import { startReplyService, type RunningReplyService } from './support/reply-service-app';

const HOUR = 3_600_000;
let phoneCounter = 0;
/** A fresh valid UK mobile number per use, so tests never share a recipient. */
const newPhone = () => `+4479111${String(++phoneCounter).padStart(5, '0')}`;
let replyCounter = 0;
const newReplyId = () => `rep-${++replyCounter}-${Date.now().toString(36)}`;
let messageCounter = 0;
const newMessageId = () => `msg-${++messageCounter}-${Date.now().toString(36)}`;

describe('reply-service with real status-tracker and interception-service processes', () => {
  let peers: PeerServices;
  let statusProxy: CountingProxy;
  let interceptionProxy: CountingProxy;
  let schema: TestSchema;
  let redisBase: string;
  let reply: RunningReplyService;
  const redis = createRedis({ url: testInfrastructure().redisUrl, name: 'reply-int-test' });

  beforeAll(async () => {
    peers = await startPeerServices();
    statusProxy = await CountingProxy.start(GRPC_SERVICES.status, peers.statusTarget);
    interceptionProxy = await CountingProxy.start(
      GRPC_SERVICES.interception,
      peers.interceptionTarget,
    );
    schema = await createTestSchema('reply-service');
    redisBase = createTestRedisPrefix('reply-service').replace(/[{}]/g, '');
    reply = await startReplyService({
      DATABASE_URL: schema.databaseUrl,
      DATABASE_SCHEMA: schema.schema,
      REDIS_URL: testInfrastructure().redisUrl,
      REDIS_PREFIX: redisBase,
      STATUS_GRPC_TARGET: statusProxy.target,
      INTERCEPTION_GRPC_TARGET: interceptionProxy.target,
      GRPC_DEADLINE_MS: '3000',
      OUTBOX_BACKOFF_MS: '100',
      OUTBOX_MAX_BACKOFF_MS: '400',
      // Few attempts: an outage outlasts a round, and the relay re-arms it under a fresh job id.
      OUTBOX_ATTEMPTS: '3',
      MAINTENANCE_INTERVAL_MS: '300',
      OUTBOX_RELAY_AFTER_MS: '1000',
    });
  }, 180_000);

  afterAll(async () => {
    await reply?.close();
    statusProxy?.down();
    interceptionProxy?.down();
    await peers?.stop();
    await schema?.drop();
    if (redisBase) await deleteKeysWithPrefix(redis, hashTaggedPrefix(redisBase, 'reply'));
    await redis.quit();
  }, 60_000);

  // --- helpers -------------------------------------------------------------------------------

  async function sendMessages(
    messages: {
      messageId: string;
      accountId: string;
      phone: string;
      at: Date;
      templateId?: string;
      labels?: string[];
      smsUser?: string;
    }[],
  ): Promise<void> {
    const response = await peers.status.recordEvents({
      events: messages.map((m) => ({
        eventId: `acc-${m.messageId}`,
        messageId: m.messageId,
        occurredAt: toTimestamp(m.at),
        accepted: {
          accountId: m.accountId,
          smsUser: m.smsUser ?? 'api-user',
          recipient: m.phone,
          entries: 1,
          templateId: m.templateId ?? 'tpl-default',
          templateType: 'TEMPLATE_TYPE_NOTIFICATION' as statusV1.AcceptedDetail['templateType'],
          labels: m.labels ?? [],
        },
      })),
    });
    for (const outcome of response.outcomes) {
      expect({ outcome, result: outcome.result }).toMatchObject({ result: 'EVENT_RESULT_APPLIED' });
    }
  }

  function inbound(overrides: Partial<replyV1.InboundReply> = {}): replyV1.InboundReply {
    return {
      replyId: newReplyId(),
      phone: newPhone(),
      content: 'thanks',
      receivedAt: toTimestamp(new Date()),
      operator: 'vodafone-uk',
      channel: 'channel-1',
      accountId: '',
      messageId: '',
      ...overrides,
    };
  }

  async function record(...replies: replyV1.InboundReply[]): Promise<replyV1.ReplyOutcome[]> {
    return (await reply.client.recordReplies({ replies })).outcomes;
  }

  async function listAll(request: Partial<replyV1.ListRepliesRequest>): Promise<replyV1.Reply[]> {
    const page = await reply.client.listReplies({
      accountId: '',
      asOperator: false,
      phone: '',
      templateId: '',
      label: '',
      from: undefined,
      to: undefined,
      pageSize: 500,
      pageToken: '',
      messageId: '',
      ...request,
    });
    return page.replies;
  }

  async function verdict(accountId: string, phone: string): Promise<string> {
    return (await peers.interception.check({ accountId, phone })).verdict;
  }

  function sql<T>(query: string, bindings: SqlParam[] = []): Promise<T[]> {
    return Sql.fork(reply.app.get(MikroORM)).rows<T>(query, bindings);
  }

  async function storedCounts(): Promise<{ replies: number; keys: number; effects: number }> {
    const [row] = await sql<{ replies: string; keys: string; effects: string }>(
      `select (select count(*) from reply) as replies, (select count(*) from reply_key) as keys,
              (select count(*) from keyword_effect) as effects`,
    );
    return {
      replies: Number(row.replies),
      keys: Number(row.keys),
      effects: Number(row.effects),
    };
  }

  // --- attribution -----------------------------------------------------------------------------

  describe('attribution', () => {
    it('by message id: copies account, template, labels and SMS user of the named message', async () => {
      const phone = newPhone();
      const named = newMessageId();
      await sendMessages([
        {
          messageId: named,
          accountId: 'acc-mid',
          phone,
          at: new Date(Date.now() - 2 * HOUR),
          templateId: 'tpl-otp',
          labels: ['otp', 'login'],
          smsUser: 'alice',
        },
        // A later message of the same account: the named one still wins.
        { messageId: newMessageId(), accountId: 'acc-mid', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const input = inbound({ phone, accountId: 'acc-mid', messageId: named, content: 'ok' });
      const [outcome] = await record(input);
      expect(outcome).toMatchObject({
        index: 0,
        replyId: input.replyId,
        result: 'REPLY_RESULT_APPLIED',
        attribution: 'ATTRIBUTION_MESSAGE_ID',
        keywordAction: 'KEYWORD_ACTION_NONE',
      });
      const [stored] = await listAll({ accountId: 'acc-mid', phone });
      expect(stored).toMatchObject({
        replyId: input.replyId,
        phone,
        content: 'ok',
        accountId: 'acc-mid',
        messageId: named,
        templateId: 'tpl-otp',
        labels: ['otp', 'login'],
        smsUser: 'alice',
        operator: 'vodafone-uk',
        channel: 'channel-1',
        attribution: 'ATTRIBUTION_MESSAGE_ID',
      });
    });

    it('by message id without account: that message, if it went to this phone (item 5)', async () => {
      const phone = newPhone();
      const [older, latest, elsewhere] = [newMessageId(), newMessageId(), newMessageId()];
      await sendMessages([
        { messageId: older, accountId: 'acc-x1', phone, at: new Date(Date.now() - 3 * HOUR) },
        { messageId: latest, accountId: 'acc-x2', phone, at: new Date(Date.now() - HOUR) },
        {
          messageId: elsewhere,
          accountId: 'acc-x3',
          phone: newPhone(),
          at: new Date(Date.now() - HOUR),
        },
      ]);
      const outcomes = await record(
        inbound({ phone, messageId: latest }),
        inbound({ phone, messageId: older }),
        inbound({ phone, messageId: elsewhere }),
      );
      expect(outcomes.map((o) => o.attribution)).toEqual([
        'ATTRIBUTION_MESSAGE_ID',
        'ATTRIBUTION_MESSAGE_ID',
        'ATTRIBUTION_UNATTRIBUTED',
      ]);
      expect((await listAll({ accountId: 'acc-x2', phone })).map((r) => r.messageId)).toEqual([
        latest,
      ]);
      expect((await listAll({ accountId: 'acc-x1', phone })).map((r) => r.messageId)).toEqual([
        older,
      ]);
      expect(await listAll({ accountId: 'acc-x3', phone })).toEqual([]);
    });

    it('by message id of another account: the channel account wins, the message is not used', async () => {
      const phone = newPhone();
      const foreign = newMessageId();
      await sendMessages([
        { messageId: foreign, accountId: 'acc-owner', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const [outcome] = await record(
        inbound({ phone, accountId: 'acc-claimed', messageId: foreign }),
      );
      expect(outcome?.attribution).toBe('ATTRIBUTION_UNATTRIBUTED');
      expect(await listAll({ accountId: 'acc-owner', phone })).toEqual([]);
      expect(await listAll({ accountId: 'acc-claimed', phone })).toEqual([
        expect.objectContaining({ accountId: 'acc-claimed', messageId: '' }),
      ]);
      // Operators see it in the unattributed list too (it matched no message).
      expect(await listAll({ asOperator: true, phone })).toEqual([
        expect.objectContaining({
          accountId: 'acc-claimed',
          attribution: 'ATTRIBUTION_UNATTRIBUTED',
        }),
      ]);
    });

    it('by account: the named account latest message, never another account', async () => {
      const phone = newPhone();
      const mine = newMessageId();
      await sendMessages([
        { messageId: mine, accountId: 'acc-a', phone, at: new Date(Date.now() - 5 * HOUR) },
        { messageId: newMessageId(), accountId: 'acc-b', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const [outcome] = await record(inbound({ phone, accountId: 'acc-a' }));
      expect(outcome?.attribution).toBe('ATTRIBUTION_ACCOUNT_LATEST');
      expect((await listAll({ accountId: 'acc-a', phone }))[0]?.messageId).toBe(mine);
      expect(await listAll({ accountId: 'acc-b', phone })).toEqual([]);
    });

    it('by latest message: any account within the 72 hours before receipt', async () => {
      const phone = newPhone();
      const latest = newMessageId();
      const received = new Date(Date.now() - 60_000);
      await sendMessages([
        {
          messageId: newMessageId(),
          accountId: 'acc-a',
          phone,
          at: new Date(Date.now() - 5 * HOUR),
        },
        { messageId: latest, accountId: 'acc-c', phone, at: new Date(Date.now() - HOUR) },
        // Sent after the reply was received: not what it answers.
        { messageId: newMessageId(), accountId: 'acc-d', phone, at: new Date() },
      ]);
      const [outcome] = await record(inbound({ phone, receivedAt: toTimestamp(received) }));
      expect(outcome?.attribution).toBe('ATTRIBUTION_LATEST_MESSAGE');
      expect((await listAll({ accountId: 'acc-c', phone }))[0]).toMatchObject({
        messageId: latest,
        accountId: 'acc-c',
      });
    });

    it('unattributed: nothing within 72 hours; kept and visible to operators only', async () => {
      const phone = newPhone();
      await sendMessages([
        {
          messageId: newMessageId(),
          accountId: 'acc-old',
          phone,
          at: new Date(Date.now() - 80 * HOUR),
        },
      ]);
      const input = inbound({ phone, content: 'who is this?' });
      const [outcome] = await record(input);
      expect(outcome?.attribution).toBe('ATTRIBUTION_UNATTRIBUTED');
      const operatorView = await listAll({ asOperator: true, phone });
      expect(operatorView).toHaveLength(1);
      expect(operatorView[0]).toMatchObject({
        replyId: input.replyId,
        accountId: '',
        messageId: '',
        attribution: 'ATTRIBUTION_UNATTRIBUTED',
      });
      expect(await listAll({ accountId: 'acc-old', phone })).toEqual([]);
      await expect(listAll({ phone })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: 'account_id is required',
      });
    });

    it('a batch of 1,000 replies costs ONE FindLatestMessage call to status-tracker', async () => {
      const phones = Array.from({ length: 1000 }, newPhone);
      const sentAt = new Date(Date.now() - HOUR);
      const messageIds = phones.slice(0, 200).map(() => newMessageId());
      await sendMessages(
        messageIds.map((messageId, i) => ({
          messageId,
          accountId: `acc-bulk-${i % 3}`,
          phone: phones[i],
          at: sentAt,
        })),
      );
      const [findBefore, getBefore] = [
        statusProxy.count('FindLatestMessage'),
        statusProxy.count('GetMessage'),
      ];
      const outcomes = await record(...phones.map((phone) => inbound({ phone })));
      expect(statusProxy.count('FindLatestMessage') - findBefore).toBe(1);
      expect(statusProxy.count('GetMessage') - getBefore).toBe(0);
      expect(outcomes).toHaveLength(1000);
      expect(
        outcomes.every(
          (o, i) => o.index === i && o.result === replyV1.ReplyResult.REPLY_RESULT_APPLIED,
        ),
      ).toBe(true);
      expect(
        outcomes.filter((o) => o.attribution === replyV1.Attribution.ATTRIBUTION_LATEST_MESSAGE),
      ).toHaveLength(200);
      expect(
        outcomes.filter((o) => o.attribution === replyV1.Attribution.ATTRIBUTION_UNATTRIBUTED),
      ).toHaveLength(800);
      const bulk0 = await listAll({ accountId: 'acc-bulk-0' });
      expect(bulk0).toHaveLength(67);
      expect(new Set(bulk0.map((r) => r.messageId))).toEqual(
        new Set(messageIds.filter((_, i) => i % 3 === 0)),
      );
    });

    it('a batch of replies naming their messages costs ONE GetMessages call, whatever its size', async () => {
      const phones = Array.from({ length: 300 }, newPhone);
      const sentAt = new Date(Date.now() - HOUR);
      const messageIds = phones.map(() => newMessageId());
      await sendMessages(
        messageIds.map((messageId, i) => ({
          messageId,
          accountId: 'acc-named',
          phone: phones[i],
          at: sentAt,
        })),
      );
      const [getsBefore, getBefore] = [
        statusProxy.count('GetMessages'),
        statusProxy.count('GetMessage'),
      ];
      // The last one names another account's message: answered like a missing one.
      const outcomes = await record(
        ...phones.map((phone, i) =>
          inbound({
            phone,
            accountId: i === 299 ? 'acc-other' : 'acc-named',
            messageId: messageIds[i],
          }),
        ),
      );
      expect(statusProxy.count('GetMessages') - getsBefore).toBe(1);
      expect(statusProxy.count('GetMessage') - getBefore).toBe(0);
      expect(
        outcomes
          .slice(0, 299)
          .every((o) => o.attribution === replyV1.Attribution.ATTRIBUTION_MESSAGE_ID),
      ).toBe(true);
      expect(outcomes[299]?.attribution).not.toBe(replyV1.Attribution.ATTRIBUTION_MESSAGE_ID);
      const named = await listAll({ accountId: 'acc-named' });
      expect(new Set(named.map((r) => r.messageId))).toEqual(new Set(messageIds.slice(0, 299)));
    });

    it('status-tracker unreachable: the reply is stored pending and attributed once it is back', async () => {
      const phone = newPhone();
      const messageId = newMessageId();
      await sendMessages([
        { messageId, accountId: 'acc-late', phone, at: new Date(Date.now() - HOUR) },
      ]);
      statusProxy.down();
      let outcome: replyV1.ReplyOutcome | undefined;
      try {
        [outcome] = await record(inbound({ phone, content: 'STOP' }));
      } finally {
        await statusProxy.up();
      }
      expect(outcome).toMatchObject({
        result: 'REPLY_RESULT_APPLIED',
        attribution: 'ATTRIBUTION_UNSPECIFIED',
        keywordAction: 'KEYWORD_ACTION_UNSUBSCRIBE',
      });
      const attributed = await waitFor(
        async () => (await listAll({ accountId: 'acc-late', phone }))[0],
        { timeoutMs: 15_000, description: 'the pending reply to be attributed' },
      );
      expect(attributed).toMatchObject({ messageId, attribution: 'ATTRIBUTION_LATEST_MESSAGE' });
      // Its unsubscribe was waiting for the account and is applied now.
      await waitFor(async () => (await verdict('acc-late', phone)) === 'VERDICT_UNSUBSCRIBE', {
        timeoutMs: 15_000,
        description: 'the deferred unsubscribe',
      });
    });
  });

  // --- keywords and their effects ----------------------------------------------------------------

  describe('unsubscribe and resubscribe', () => {
    it('an unsubscribe reply makes Check answer UNSUBSCRIBE for that account only; resubscribe reverses it', async () => {
      const phone = newPhone();
      await sendMessages([
        { messageId: newMessageId(), accountId: 'acc-u', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const [stop] = await record(
        inbound({
          phone,
          content: ' Stop! ',
          receivedAt: toTimestamp(new Date(Date.now() - 2000)),
        }),
      );
      expect(stop).toMatchObject({
        attribution: 'ATTRIBUTION_LATEST_MESSAGE',
        keywordAction: 'KEYWORD_ACTION_UNSUBSCRIBE',
      });
      await waitFor(async () => (await verdict('acc-u', phone)) === 'VERDICT_UNSUBSCRIBE', {
        description: 'the unsubscribe to reach interception-service',
      });
      expect(await verdict('acc-other', phone)).toBe('VERDICT_ALLOW');
      const unsubscribes = await peers.interception.listUnsubscribes({
        accountId: 'acc-u',
        phone,
        pageSize: 10,
        pageToken: '',
      });
      expect(unsubscribes.unsubscribes[0]).toMatchObject({
        source: 'UNSUBSCRIBE_SOURCE_REPLY',
        replyId: stop?.replyId,
      });

      const [start] = await record(inbound({ phone, content: 'start' }));
      expect(start).toMatchObject({ keywordAction: 'KEYWORD_ACTION_RESUBSCRIBE' });
      await waitFor(async () => (await verdict('acc-u', phone)) === 'VERDICT_ALLOW', {
        description: 'the resubscribe to reach interception-service',
      });
      const listed = await listAll({ accountId: 'acc-u', phone });
      expect(listed.map((r) => r.keywordAction)).toEqual([
        'KEYWORD_ACTION_RESUBSCRIBE',
        'KEYWORD_ACTION_UNSUBSCRIBE',
      ]);
    });

    it('records the keyword on replies that cannot act: a sentence, and an unattributed STOP', async () => {
      const phone = newPhone();
      await sendMessages([
        { messageId: newMessageId(), accountId: 'acc-s', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const unknownPhone = newPhone();
      const before = await storedCounts();
      const outcomes = await record(
        inbound({ phone, content: 'please stop texting me' }),
        inbound({ phone: unknownPhone, content: 'TD退订' }),
      );
      expect(outcomes.map((o) => [o.attribution, o.keywordAction])).toEqual([
        ['ATTRIBUTION_LATEST_MESSAGE', 'KEYWORD_ACTION_NONE'],
        ['ATTRIBUTION_UNATTRIBUTED', 'KEYWORD_ACTION_UNSUBSCRIBE'],
      ]);
      // Stored, but no outbox row: nothing to unsubscribe from without an account.
      expect(await storedCounts()).toEqual({
        replies: before.replies + 2,
        keys: before.keys + 2,
        effects: before.effects,
      });
      expect(await verdict('acc-s', phone)).toBe('VERDICT_ALLOW');
    });

    it('interception-service down during the reply: the unsubscribe is applied after it returns', async () => {
      const phone = newPhone();
      await sendMessages([
        {
          messageId: newMessageId(),
          accountId: 'acc-down',
          phone,
          at: new Date(Date.now() - HOUR),
        },
      ]);
      interceptionProxy.down();
      let replyId = '';
      try {
        const [outcome] = await record(
          inbound({ phone, content: 'UNSUBSCRIBE', accountId: 'acc-down' }),
        );
        expect(outcome).toMatchObject({
          result: 'REPLY_RESULT_APPLIED',
          keywordAction: 'KEYWORD_ACTION_UNSUBSCRIBE',
        });
        replyId = outcome.replyId;
        // Tried and failed while down, still pending.
        await waitFor(
          async () => {
            const [row] = await sql<{ state: string; attempts: number }>(
              `select state, attempts from keyword_effect where reply_id = ?`,
              [replyId],
            );
            return row && row.state === 'PENDING' && row.attempts >= 2;
          },
          { description: 'failed attempts while interception is down' },
        );
        // Longer than all attempts of a round: the relay re-armed it under a fresh job id.
        await waitFor(
          async () => {
            const [row] = await sql<{ round: number }>(
              `select round from keyword_effect where reply_id = ?`,
              [replyId],
            );
            return row !== undefined && row.round >= 1;
          },
          { description: 'a second delivery round while interception is down' },
        );
        expect(await verdict('acc-down', phone)).toBe('VERDICT_ALLOW');
      } finally {
        await interceptionProxy.up();
      }
      await waitFor(async () => (await verdict('acc-down', phone)) === 'VERDICT_UNSUBSCRIBE', {
        timeoutMs: 20_000,
        description: 'the unsubscribe after interception came back',
      });
      // The outbox row is closed once interception answered.
      await waitFor(
        async () => {
          const [row] = await sql<{ state: string }>(
            `select state from keyword_effect where reply_id = ?`,
            [replyId],
          );
          return row?.state === 'APPLIED';
        },
        { description: 'the outbox row to be marked APPLIED' },
      );
    });
    it('an effect interception-service refuses for good (INVALID_ARGUMENT) is a listed dead letter', async () => {
      const replyId = newReplyId();
      const receivedAt = new Date(Date.now() - 60_000);
      // An outbox row interception-service can never accept (no account).
      await sql(
        `with r as (
           insert into reply (reply_id, received_at, phone, content, account_id, attribution, keyword_action)
           values (?, ?, ?, 'STOP', null, 'UNATTRIBUTED', 'UNSUBSCRIBE') returning reply_id),
         k as (insert into reply_key (reply_id, received_at) values (?, ?) returning reply_id)
         insert into keyword_effect (reply_id, account_id, phone, action, occurred_at, created_at)
         values (?, '', ?, 'UNSUBSCRIBE', ?, now() - interval '1 minute')`,
        [replyId, receivedAt, newPhone(), replyId, receivedAt, replyId, newPhone(), receivedAt],
      );
      const listed = await waitFor(
        async () => {
          const page = await reply.client.listDeadLetters({ pageSize: 0, pageToken: '', kind: '' });
          return page.deadLetters.find((letter) => letter.key === replyId);
        },
        { timeoutMs: 15_000, description: 'the refused effect in the dead-letter list' },
      );
      expect(listed).toMatchObject({
        kind: 'keyword_effect',
        error: expect.stringMatching(/account/),
      });
      const [row] = await sql<{ state: string }>(
        `select state from keyword_effect where reply_id = ?`,
        [replyId],
      );
      expect(row?.state).toBe('REFUSED');
    });

    it('a reply committed without its job (process died before enqueueing) is applied by the relay', async () => {
      const phone = newPhone();
      const replyId = newReplyId();
      const receivedAt = new Date(Date.now() - 60_000);
      // Exactly what the ingest transaction commits, with no BullMQ job behind it.
      await sql(
        `with r as (
           insert into reply (reply_id, received_at, phone, content, account_id, attribution, keyword_action)
           values (?, ?, ?, 'STOP', 'acc-relay', 'UNATTRIBUTED', 'UNSUBSCRIBE') returning reply_id),
         k as (insert into reply_key (reply_id, received_at) values (?, ?) returning reply_id)
         insert into keyword_effect (reply_id, account_id, phone, action, occurred_at, created_at)
         values (?, 'acc-relay', ?, 'UNSUBSCRIBE', ?, now() - interval '1 minute')`,
        [replyId, receivedAt, phone, replyId, receivedAt, replyId, phone, receivedAt],
      );
      await waitFor(async () => (await verdict('acc-relay', phone)) === 'VERDICT_UNSUBSCRIBE', {
        timeoutMs: 15_000,
        description: 'the relay to apply the orphaned outbox row',
      });
    });
  });

  // --- bad input ---------------------------------------------------------------------------------

  describe('bad input', () => {
    it('answers per reply: duplicate ids, invalid phone, empty content, missing fields; stores only the good one', async () => {
      const before = await storedCounts();
      const good = inbound({ content: 'STOP' });
      const batch = [
        good,
        { ...good, content: 'a different text under the same id' },
        inbound({ phone: '12ab' }),
        inbound({ content: '   ' }),
        inbound({ replyId: '' }),
        inbound({ receivedAt: undefined }),
        inbound({ receivedAt: toTimestamp(new Date(Date.now() + 3_600_000)) }),
      ];
      const outcomes = await record(...batch);
      expect(outcomes.map((o) => [o.index, o.result])).toEqual([
        [0, 'REPLY_RESULT_APPLIED'],
        [1, 'REPLY_RESULT_DUPLICATE'],
        [2, 'REPLY_RESULT_REJECTED'],
        [3, 'REPLY_RESULT_REJECTED'],
        [4, 'REPLY_RESULT_REJECTED'],
        [5, 'REPLY_RESULT_REJECTED'],
        [6, 'REPLY_RESULT_REJECTED'],
      ]);
      expect(outcomes.slice(2).map((o) => o.reason)).toEqual([
        expect.stringMatching(/^phone "12ab" may contain only digits/),
        'content is empty',
        'reply_id is required',
        'received_at is required',
        expect.stringMatching(/^received_at .* is in the future/),
      ]);
      // Unattributed STOP: stored, no outbox row.
      expect(await storedCounts()).toEqual({
        ...before,
        replies: before.replies + 1,
        keys: before.keys + 1,
      });

      const again = await record({ ...good, content: 'changed' });
      expect(again[0]).toMatchObject({ result: 'REPLY_RESULT_DUPLICATE', replyId: good.replyId });
      expect(await storedCounts()).toEqual({
        ...before,
        replies: before.replies + 1,
        keys: before.keys + 1,
      });
      const [stored] = await listAll({ asOperator: true, phone: good.phone });
      expect(stored?.content).toBe('STOP');
    });

    it('a duplicate unsubscribe reply adds no second outbox row', async () => {
      const phone = newPhone();
      await sendMessages([
        { messageId: newMessageId(), accountId: 'acc-dup', phone, at: new Date(Date.now() - HOUR) },
      ]);
      const stop = inbound({ phone, content: 'STOP' });
      await record(stop);
      const before = await storedCounts();
      const [again] = await record(stop);
      expect(again?.result).toBe('REPLY_RESULT_DUPLICATE');
      expect(await storedCounts()).toEqual(before);
    });

    it('refuses a batch over 1,000 replies as a whole, storing nothing', async () => {
      const before = await storedCounts();
      const batch = Array.from({ length: 1001 }, () => inbound());
      await expect(record(...batch)).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        details: 'a batch holds at most 1000 replies; got 1001',
      });
      expect(await storedCounts()).toEqual(before);
    });

    it('stores content with quotes, backslashes, question marks and emoji intact', async () => {
      const content = `it's "fine" \\ ok? $1 ?? 🙂 \u0000`.replace('\u0000', '');
      const input = inbound({ content });
      await record(input);
      const [stored] = await listAll({ asOperator: true, phone: input.phone });
      expect(stored?.content).toBe(content);
    });
  });

  // --- queries -----------------------------------------------------------------------------------

  describe('ListReplies', () => {
    const account = 'acc-list';
    const phoneA = newPhone();
    const phoneB = newPhone();
    const base = Date.now() - 30 * 60_000;
    const ids: string[] = [];
    const messageA = newMessageId();
    const messageB = newMessageId();

    beforeAll(async () => {
      await sendMessages([
        {
          messageId: messageA,
          accountId: account,
          phone: phoneA,
          at: new Date(base - HOUR),
          templateId: 'tpl-1',
          labels: ['promo', 'autumn'],
        },
        {
          messageId: messageB,
          accountId: account,
          phone: phoneB,
          at: new Date(base - HOUR),
          templateId: 'tpl-2',
          labels: ['service'],
        },
      ]);
      const replies = Array.from({ length: 7 }, (_, i) =>
        inbound({
          phone: i % 2 === 0 ? phoneA : phoneB,
          accountId: account,
          receivedAt: toTimestamp(new Date(base + i * 1000)),
          content: `reply ${i}`,
        }),
      );
      ids.push(...replies.map((r) => r.replyId));
      await record(...replies);
    });

    it('lists newest first with keyset pages that cover everything exactly once', async () => {
      const seen: string[] = [];
      let pageToken = '';
      let pages = 0;
      do {
        const page = await reply.client.listReplies({
          accountId: account,
          asOperator: false,
          phone: '',
          templateId: '',
          label: '',
          from: undefined,
          to: undefined,
          pageSize: 3,
          pageToken,
          messageId: '',
        });
        seen.push(...page.replies.map((r) => r.replyId));
        pageToken = page.nextPageToken;
        pages++;
      } while (pageToken);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by phone, template, label and response period', async () => {
      expect((await listAll({ accountId: account, phone: phoneA })).map((r) => r.replyId)).toEqual([
        ids[6],
        ids[4],
        ids[2],
        ids[0],
      ]);
      // The same number written another way.
      expect(
        await listAll({ accountId: account, phone: phoneB.replace('+44', '44 ') }),
      ).toHaveLength(3);
      expect(await listAll({ accountId: account, templateId: 'tpl-2' })).toHaveLength(3);
      expect(await listAll({ accountId: account, label: 'autumn' })).toHaveLength(4);
      expect(await listAll({ accountId: account, label: 'nope' })).toHaveLength(0);
      const period = await listAll({
        accountId: account,
        from: toTimestamp(new Date(base + 2000)),
        to: toTimestamp(new Date(base + 5000)),
      });
      expect(period.map((r) => r.replyId)).toEqual([ids[4], ids[3], ids[2]]);
      expect(period.map((r) => fromTimestamp(r.receivedAt)?.getTime())).toEqual([
        base + 4000,
        base + 3000,
        base + 2000,
      ]);
    });

    it('filters by the message replied to, within the account', async () => {
      const byMessage = async (request: Partial<replyV1.ListRepliesRequest>) =>
        (await listAll({ accountId: account, ...request })).map((r) => r.replyId);
      expect(await byMessage({ messageId: messageA })).toEqual([ids[6], ids[4], ids[2], ids[0]]);
      expect(await byMessage({ messageId: ` ${messageB} ` })).toEqual([ids[5], ids[3], ids[1]]);
      expect(await byMessage({ messageId: messageB, phone: phoneA })).toEqual([]);
      expect(await byMessage({ messageId: 'no-such-message' })).toEqual([]);
      // Another account naming this account's message sees nothing.
      expect(await byMessage({ accountId: 'acc-other', messageId: messageA })).toEqual([]);
      // Pages of one message's replies.
      const first = await reply.client.listReplies({
        accountId: account,
        asOperator: false,
        phone: '',
        templateId: '',
        label: '',
        from: undefined,
        to: undefined,
        pageSize: 3,
        pageToken: '',
        messageId: messageA,
      });
      expect(first.replies.map((r) => r.messageId)).toEqual([messageA, messageA, messageA]);
      expect(first.nextPageToken).not.toBe('');
      expect(
        await byMessage({ messageId: messageA, pageSize: 3, pageToken: first.nextPageToken }),
      ).toEqual([ids[0]]);
    });

    it('refuses bad queries with a clear INVALID_ARGUMENT', async () => {
      const first = await reply.client.listReplies({
        accountId: account,
        asOperator: false,
        phone: '',
        templateId: '',
        label: '',
        from: undefined,
        to: undefined,
        pageSize: 2,
        pageToken: '',
        messageId: '',
      });
      const token = first.nextPageToken;
      expect(token).not.toBe('');
      const cases: [Partial<replyV1.ListRepliesRequest>, RegExp][] = [
        [{ pageSize: 501 }, /page_size must be 1\.\.500/],
        [{ phone: 'abc' }, /phone "abc"/],
        [
          { from: toTimestamp(new Date(Date.now() - 31 * 24 * HOUR)) },
          /before the retention window/,
        ],
        [
          { from: toTimestamp(new Date(base + 5000)), to: toTimestamp(new Date(base)) },
          /must be before to/,
        ],
        [{ pageToken: `${token}x` }, /page_token is invalid/],
        [{ pageToken: token, templateId: 'tpl-1' }, /page_token is invalid: issued for another/],
        [{ pageToken: token, accountId: 'acc-other' }, /page_token is invalid: issued for another/],
        [{ pageToken: token, messageId: 'm-1' }, /page_token is invalid: issued for another/],
        [{ messageId: 'm'.repeat(129) }, /message_id must be at most 128 characters/],
      ];
      for (const [request, message] of cases) {
        await expect(listAll({ accountId: account, ...request })).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          details: expect.stringMatching(message) as string,
        });
      }
    });
  });

  it('exposes replies, keyword actions and status lookups as metrics', async () => {
    const metrics = await reply.app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(metrics).toMatch(
      /reply_replies_total\{result="APPLIED",attribution="LATEST_MESSAGE",service="reply-service"\} \d+/,
    );
    expect(metrics).toMatch(
      /reply_replies_total\{result="REJECTED",attribution="",service="reply-service"\} \d+/,
    );
    expect(metrics).toMatch(
      /reply_keyword_actions_total\{action="UNSUBSCRIBE",effect="queued",service="reply-service"\} \d+/,
    );
    expect(metrics).toMatch(
      /reply_status_lookup_calls_total\{method="FindLatestMessage",outcome="ok",service="reply-service"\} \d+/,
    );
    expect(metrics).toMatch(
      /reply_outbox_failures_total\{action="UNSUBSCRIBE",kind="retry",service="reply-service"\} \d+/,
    );
  });
});
