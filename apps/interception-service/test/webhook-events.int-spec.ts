import { commonV1, GRPC_SERVICES, type interceptionV1, type webhookV1 } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { createGrpcClient, type GrpcClient } from '@sms/platform-grpc';
import {
  startWorkspaceService,
  TestReceiver,
  verifySignature,
  waitFor,
  type ReceivedRequest,
  type WorkspaceService,
} from '@sms/testing';
import {
  createTestStore,
  Scope,
  startTestApp,
  ts,
  uniquePhone,
  UnsubscribeSource,
  type TestApp,
  type TestStore,
} from './interception-app';

const ALL_TYPES = ['unsubscribe.changed', 'block_list.entry_created'];

interface Delivered {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

describe('unsubscribe.changed and block_list.entry_created reach the owner’s webhooks', () => {
  let dispatcher: WorkspaceService;
  let webhooks: GrpcClient<webhookV1.WebhookServiceClient>;
  let store: TestStore;
  let service: TestApp;
  let receiver: TestReceiver;
  const secrets = new Map<string, string>();
  const endpoints = new Map<string, string>();
  const suffix = Date.now().toString(36);
  const accountA = `acct-a-${suffix}`;
  const accountB = `acct-b-${suffix}`;

  const received = (path: string): Delivered[] =>
    receiver.at(path).map((request: ReceivedRequest) => {
      expect(verifySignature(secrets.get(path)!, request)).toBe(true);
      const body = JSON.parse(request.body) as Omit<Delivered, 'id'>;
      return { id: request.id, type: body.type, data: body.data };
    });

  const outboxRows = async () =>
    Number(
      (await store.sql.query<{ n: string }>('select count(*) as n from webhook_outbox')).rows[0]?.n,
    );

  beforeAll(async () => {
    receiver = await new TestReceiver().start();
    [dispatcher, store] = await Promise.all([
      startWorkspaceService({
        app: 'webhook-dispatcher',
        label: 'interception-webhooks',
        grpcService: 'sms.webhook.v1.WebhookService',
        env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' },
      }),
      createTestStore('interception-webhooks'),
    ]);
    webhooks = createGrpcClient<webhookV1.WebhookServiceClient>(GRPC_SERVICES.webhook, {
      target: dispatcher.target,
      deadlineMs: 10_000,
      callerToken: DEVELOPMENT_GRPC_TOKENS.gateway,
    });
    for (const [account, path] of [
      [accountA, '/a'],
      [accountB, '/b'],
    ] as const) {
      const created = await webhooks.createEndpoint({
        accountId: account,
        url: receiver.url(path),
        eventTypes: ALL_TYPES,
      });
      secrets.set(path, created.secret);
      endpoints.set(account, created.endpoint!.endpointId);
    }
    service = await startTestApp(store, {
      WEBHOOK_GRPC_TARGET: dispatcher.target,
      // Longer than the tests: events leave on the kick after their commit, not on the timer.
      WEBHOOK_RELAY_INTERVAL_MS: '600000',
    });
  }, 120_000);

  afterAll(async () => {
    webhooks?.close();
    await service?.close();
    await store?.drop();
    await dispatcher?.stop('SIGTERM');
    await receiver?.close();
  }, 60_000);

  it('tells each owner, signed and once per event id, and never another account', async () => {
    const localPhone = uniquePhone();
    const { entry: local } = (await service.client.addEntry({
      accountId: accountA,
      asOperator: false,
      phone: localPhone,
      scope: Scope.SCOPE_LOCAL,
      reason: 'asked us to stop',
      expiresAt: null as never,
      actor: 'key-1',
    })) as { entry: interceptionV1.Entry };
    // A send failure of B's message with a GLOBAL code: B owns the entry and is told about it.
    const globalPhone = uniquePhone();
    const failure = {
      accountId: accountB,
      phone: globalPhone,
      messageId: `wh-msg-${suffix}`,
      code: commonV1.SendFailureCode.SEND_FAILURE_CODE_EMPTY,
      detail: 'no such subscriber',
      occurredAt: ts(Date.now()),
    };
    const { entry: global } = (await service.client.recordFailure(failure)) as {
      entry: interceptionV1.Entry;
    };
    // The same failure again is a duplicate (no new entry); a renewal by another message is not
    // a creation either.
    await service.client.recordFailure(failure);
    await service.client.recordFailure({ ...failure, messageId: `wh-msg-2-${suffix}` });
    // An operator's GLOBAL entry has no owner: no customer is told.
    await service.client.addEntry({
      accountId: '',
      asOperator: true,
      phone: uniquePhone(),
      scope: Scope.SCOPE_GLOBAL,
      reason: 'fraud',
      expiresAt: null as never,
      actor: 'operator',
    });
    // Unsubscribe, the same again (no change), then resubscribe: two changes for A.
    const unsubscribed = uniquePhone();
    const unsubscribe = {
      accountId: accountA,
      phone: unsubscribed,
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: ts(Date.now() - 2000),
    };
    await service.client.addUnsubscribe(unsubscribe);
    await service.client.addUnsubscribe(unsubscribe);
    await service.client.removeUnsubscribe({
      accountId: accountA,
      phone: unsubscribed,
      occurredAt: ts(Date.now() - 1000),
    });

    await waitFor(() => receiver.at('/a').length >= 3 && receiver.at('/b').length >= 1, {
      timeoutMs: 30_000,
      description: 'three events for A and one for B',
    });
    await waitFor(async () => (await outboxRows()) === 0, { description: 'the outbox emptied' });

    const toA = received('/a');
    const toB = received('/b');
    expect(toA).toHaveLength(3);
    expect(toB).toHaveLength(1);
    expect(new Set(toA.map((event) => event.id)).size).toBe(3);

    const entryEvent = toA.find((event) => event.type === 'block_list.entry_created');
    expect(entryEvent?.data).toEqual({
      entryId: local.entryId,
      phone: localPhone,
      scope: 'local',
      ownedByYou: true,
      ownerAccountId: accountA,
      source: 'manual',
      reasonCode: null,
      reasonText: 'asked us to stop',
      sendFailureCode: null,
      reasonDetail: null,
      messageId: null,
      interceptedAt: expect.any(String),
      expiresAt: null,
      state: 'active',
      deletedBy: null,
      deletedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(toB[0]).toMatchObject({
      type: 'block_list.entry_created',
      data: {
        entryId: global.entryId,
        phone: globalPhone,
        scope: 'global',
        ownedByYou: true,
        ownerAccountId: accountB,
        source: 'send_failure',
        reasonCode: 'empty',
        sendFailureCode: 500,
        reasonDetail: 'no such subscriber',
        messageId: failure.messageId,
        state: 'active',
        expiresAt: expect.any(String),
      },
    });
    const changes = toA
      .filter((event) => event.type === 'unsubscribe.changed')
      .map((event) => event.data)
      .sort((a, b) => String(a['changedAt']).localeCompare(String(b['changedAt'])));
    expect(changes).toEqual([
      {
        phone: unsubscribed,
        since: expect.any(String),
        source: 'api',
        replyId: null,
        unsubscribed: true,
        changedAt: expect.any(String),
      },
      expect.objectContaining({ phone: unsubscribed, unsubscribed: false }),
    ]);
    // The dispatcher's own record: one delivery per event, none of another account's.
    for (const [account, count] of [
      [accountA, 3],
      [accountB, 1],
    ] as const) {
      const { deliveries } = await webhooks.listDeliveries({
        accountId: account,
        endpointId: endpoints.get(account)!,
        pageSize: 0,
        pageToken: '',
      });
      expect(deliveries).toHaveLength(count);
    }
    // Nothing of A's reached B's endpoint and the reverse.
    expect(toB.some((event) => JSON.stringify(event.data).includes(accountA))).toBe(false);
    expect(toA.some((event) => JSON.stringify(event.data).includes(accountB))).toBe(false);
  }, 90_000);

  it('lists events the dispatcher refused for good as dead letters', async () => {
    await store.sql.query(
      `insert into webhook_outbox (event_id, type, account_id, occurred_at, data)
       values ('bad-type-1', 'block_list.no_such_event', $1, now(), '{}')`,
      [accountA],
    );
    // The next commit that writes an event kicks the relay, which takes the waiting row too.
    await service.client.addUnsubscribe({
      accountId: accountA,
      phone: uniquePhone(),
      source: UnsubscribeSource.UNSUBSCRIBE_SOURCE_API,
      replyId: '',
      occurredAt: ts(Date.now()),
    });
    const listed = await waitFor(
      async () =>
        (await service.client.listDeadLetters({ pageSize: 0, pageToken: '' })).deadLetters.find(
          (letter) => letter.key === 'bad-type-1',
        ),
      { timeoutMs: 15_000, description: 'the refused event in the dead-letter list' },
    );
    expect(listed).toMatchObject({
      kind: 'webhook_event',
      accountId: accountA,
      eventType: 'block_list.no_such_event',
      error: expect.stringMatching(/type/),
    });
    expect(await outboxRows()).toBe(0);
    expect(received('/a').some((event) => event.id === 'bad-type-1')).toBe(false);
  }, 30_000);
});
