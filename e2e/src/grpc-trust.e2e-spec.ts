// The gRPC trust boundary of the four back ends as they run (separate processes, development
// tokens): every RPC of every service called by every identity, and by none. Each RPC answers
// only the callers the security model gives it (README "Security"); the others get
// PERMISSION_DENIED, a call without identity UNAUTHENTICATED.
import { GRPC_SERVICES, type GrpcServiceSpec } from '@sms/contracts';
import { DEVELOPMENT_GRPC_TOKENS, type GrpcCaller } from '@sms/platform-config';
import { createGrpcClient, GrpcStatus } from '@sms/platform-grpc';
import { startWorkspaceService, type WorkspaceService } from '@sms/testing';

const IDENTITIES: readonly (GrpcCaller | 'nobody')[] = [
  'gateway',
  'status-tracker',
  'reply-service',
  'interception-service',
  'sender',
  'nobody',
];

/** The model of the issue: who may call what. */
const EXPECTED: Record<string, Record<string, readonly GrpcCaller[]>> = {
  'interception-service': {
    check: ['gateway', 'sender'],
    checkBatch: ['gateway', 'sender'],
    checkBatchVerdicts: ['sender'],
    recordFailure: ['status-tracker', 'sender'],
    addEntry: ['gateway'],
    getEntry: ['gateway'],
    listEntries: ['gateway'],
    deleteEntry: ['gateway'],
    addUnsubscribe: ['gateway', 'reply-service'],
    removeUnsubscribe: ['gateway', 'reply-service'],
    listUnsubscribes: ['gateway'],
    admit: ['sender'],
    admitBatch: ['sender'],
    listInterceptionWords: ['gateway'],
    addInterceptionWords: ['gateway'],
    removeInterceptionWords: ['gateway'],
    listDeadLetters: ['gateway'],
    getFrequencyLimits: ['gateway'],
    setFrequencyLimits: ['gateway'],
    resetFrequencyLimits: ['gateway'],
  },
  'status-tracker': {
    recordEvents: ['sender'],
    getMessage: ['gateway', 'reply-service'],
    getMessages: ['reply-service'],
    listMessages: ['gateway'],
    findLatestMessage: ['reply-service'],
    listDeadLetters: ['gateway'],
    getMessageStats: ['gateway'],
    operatorSearchMessages: ['gateway'],
    operatorGetMessage: ['gateway'],
  },
  'reply-service': {
    recordReplies: ['sender'],
    listReplies: ['gateway'],
    listDeadLetters: ['gateway'],
  },
  'webhook-dispatcher': {
    publishEvents: ['status-tracker', 'reply-service', 'interception-service'],
    createEndpoint: ['gateway'],
    getEndpoint: ['gateway'],
    listEndpoints: ['gateway'],
    updateEndpoint: ['gateway'],
    deleteEndpoint: ['gateway'],
    rotateEndpointSecret: ['gateway'],
    listDeliveries: ['gateway'],
    redeliver: ['gateway'],
  },
};

const SPECS: Record<string, { spec: GrpcServiceSpec; health: string }> = {
  'interception-service': {
    spec: GRPC_SERVICES.interception,
    health: 'sms.interception.v1.InterceptionService',
  },
  'status-tracker': { spec: GRPC_SERVICES.status, health: 'sms.status.v1.StatusService' },
  'reply-service': { spec: GRPC_SERVICES.reply, health: 'sms.reply.v1.ReplyService' },
  'webhook-dispatcher': {
    spec: GRPC_SERVICES.webhook,
    health: 'sms.webhook.v1.WebhookService',
  },
};

type Answer = 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'served';

describe('gRPC trust boundary of the running back ends', () => {
  const services = new Map<string, WorkspaceService>();

  beforeAll(async () => {
    const started = await Promise.allSettled(
      Object.entries(SPECS).map(async ([app, { health }]) => {
        services.set(
          app,
          await startWorkspaceService({
            app,
            label: `trust-${app}`,
            grpcService: health,
            timeoutMs: 120_000,
          }),
        );
      }),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }, 170_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((service) => service.stop('SIGKILL')));
  });

  const callAs = async (
    app: string,
    identity: GrpcCaller | 'nobody',
    method: string,
    request: unknown,
  ): Promise<{ answer: Answer; details: string }> => {
    const client = createGrpcClient<Record<string, unknown>>(SPECS[app].spec, {
      target: services.get(app)!.target,
      deadlineMs: 10_000,
      callerToken: identity === 'nobody' ? undefined : DEVELOPMENT_GRPC_TOKENS[identity],
    }) as unknown as Record<string, (request: unknown) => Promise<unknown>> & {
      close(): void;
    };
    try {
      await client[method](request);
      return { answer: 'served', details: '' };
    } catch (error) {
      const { code, details } = error as { code: GrpcStatus; details: string };
      if (code === GrpcStatus.UNAUTHENTICATED) return { answer: 'UNAUTHENTICATED', details };
      if (code === GrpcStatus.PERMISSION_DENIED) return { answer: 'PERMISSION_DENIED', details };
      // Anything else (INVALID_ARGUMENT for the empty request, NOT_FOUND ...) got past the guard.
      return { answer: 'served', details };
    } finally {
      client.close();
    }
  };

  it.each(Object.keys(EXPECTED))(
    '%s answers every RPC only to the callers allowed to use it',
    async (app) => {
      // Every RPC of the contract is in the model: a new one cannot go unchecked.
      const client = createGrpcClient<Record<string, unknown>>(SPECS[app].spec, {
        target: services.get(app)!.target,
        deadlineMs: 10_000,
      });
      const rpcs = Object.keys(client).filter((key) => key !== 'close');
      client.close();
      expect(Object.keys(EXPECTED[app]).sort()).toEqual(rpcs.sort());

      const seen: Record<string, Record<string, Answer>> = {};
      const want: Record<string, Record<string, Answer>> = {};
      for (const [method, allowed] of Object.entries(EXPECTED[app])) {
        seen[method] = {};
        want[method] = {};
        for (const identity of IDENTITIES) {
          seen[method][identity] = (await callAs(app, identity, method, {})).answer;
          want[method][identity] =
            identity === 'nobody'
              ? 'UNAUTHENTICATED'
              : allowed.includes(identity)
                ? 'served'
                : 'PERMISSION_DENIED';
        }
      }
      expect(seen).toEqual(want);
    },
  );

  it('refuses a wrong token as UNAUTHENTICATED', async () => {
    const client = createGrpcClient<Record<string, unknown>>(GRPC_SERVICES.interception, {
      target: services.get('interception-service')!.target,
      deadlineMs: 10_000,
      callerToken: `${DEVELOPMENT_GRPC_TOKENS.sender}-guessed`,
    }) as unknown as { check(request: unknown): Promise<unknown>; close(): void };
    await expect(client.check({ accountId: 'a', phone: '+447911123456' })).rejects.toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
    });
    client.close();
  });

  it('refuses as_operator from the sending service: it cannot delete anyone’s entries', async () => {
    for (const method of ['deleteEntry', 'getEntry', 'listEntries', 'addEntry']) {
      expect(
        await callAs('interception-service', 'sender', method, {
          accountId: '',
          asOperator: true,
          entryId: '00000000-0000-4000-8000-000000000000',
        }),
      ).toMatchObject({ answer: 'PERMISSION_DENIED' });
    }
    expect(
      await callAs('reply-service', 'sender', 'listReplies', { accountId: '', asOperator: true }),
    ).toMatchObject({ answer: 'PERMISSION_DENIED' });
  });
});
