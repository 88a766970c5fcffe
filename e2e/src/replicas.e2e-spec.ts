// Two replicas of every back end behind round_robin clients (the simulator's own included), one
// replica of each killed with SIGKILL while the simulator's traffic runs and started again:
// afterwards every message, block, expiry, unsubscribe and webhook is checked in PostgreSQL,
// through both gateways and at the simulator's webhook receiver.
import { CodeCatalogue } from '@sms/domain-catalogue';
import { testInfrastructure, waitFor } from '@sms/testing';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { GatewayClient, mapLimited, type Page } from './gateway-client';
import {
  BACK_ENDS,
  QUEUE_LOCK_DURATION_MS,
  QUEUE_STALLED_INTERVAL_MS,
  startReplicatedSystem,
  type BackEnd,
  type ReplicatedSystem,
} from './replicated-system';
import { runSimulator, type SimulationSummary } from './simulator-process';

const WORKSPACE_ROOT = resolve(__dirname, '../..');
const catalogue = new CodeCatalogue();
const lower = (value: string) => value.toLowerCase();
/** Expiring entries the test adds by hand, due around the kill. */
const EXPIRING = 12;
/**
 * How late an expiry may be: a job held by the killed replica returns once its lock lapsed and
 * a stalled check ran twice (one marks, the next moves it), plus the load of this machine.
 */
const EXPIRY_LATENESS_BOUND_MS = QUEUE_LOCK_DURATION_MS + 2 * QUEUE_STALLED_INTERVAL_MS + 5_000;
/**
 * webhook-dispatcher's lease on a claimed delivery (max(10 s, 3 × WEBHOOK_TIMEOUT_MS of 3 s)):
 * the simulator's receiver waits for a quiet spell longer than this, so deliveries the killed
 * replica held come due and go out before it stops.
 */
const WEBHOOK_LEASE_MS = 10_000;
/**
 * A reply whose attribution lookup was on the killed status-tracker is stored PENDING (answered
 * as ATTRIBUTION_UNSPECIFIED) and attributed later by the retry job.
 */
const PENDING_ATTRIBUTION = /^reply \S+: attribution UNSPECIFIED, expected \w+$/;

interface RestMessage {
  messageId: string;
  accountId: string;
  status: string;
  reasonCode: string | null;
  sendFailureCode: number | null;
}
interface RestEntry {
  entryId: string;
  phone: string;
  scope: string;
  ownerAccountId: string | null;
  sendFailureCode: number | null;
  messageId: string | null;
  state: string;
}
interface RestReply {
  replyId: string;
  messageId: string | null;
  attribution: string;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function query<T>(
  schema: { databaseUrl: string; schema: string },
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: schema.databaseUrl });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema.schema}"`);
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The gateway's accounts CLI, as an operator runs it: one account with a customer key. */
function accountsCli<T>(env: NodeJS.ProcessEnv, args: string[]): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', ['run', '-s', 'accounts', '--', '--json', ...args], {
      cwd: WORKSPACE_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`accounts ${args.join(' ')}: ${code}\n${stderr}`));
      else resolvePromise(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
    });
  });
}

describe('two replicas of each back end, one of each killed with SIGKILL mid-run', () => {
  let system: ReplicatedSystem;
  let summary: SimulationSummary;
  let problems: readonly string[] = [];
  const chaos = {
    entriesAddedAt: 0,
    killedAt: {} as Record<string, number>,
    backAfterMs: {} as Record<string, number>,
  };
  let expiring: { entryId: string; phone: string; expiresAt: Date }[] = [];
  let expiryClient: GatewayClient;
  let expiryAuthorization = '';

  /** A customer of the run, through gateway `index`. */
  const customer = (accountId: string, index = 0): GatewayClient => {
    const account = summary.accounts.find((a) => a.accountId === accountId);
    if (!account) throw new Error(`no key for ${accountId}`);
    return new GatewayClient(system.gatewayUrls[index], account.authorization);
  };
  const operator = (index = 0) =>
    new GatewayClient(system.gatewayUrls[index], summary.operator.authorization);
  const withLogs = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const tail = system.output().split('\n').slice(-120).join('\n');
      (error as Error).message += `\n--- last service output ---\n${tail}`;
      throw error;
    }
  };

  beforeAll(async () => {
    system = await startReplicatedSystem();
    const account = await accountsCli<{ accountId: string }>(system.accountsEnv, [
      'create-account',
      '--name',
      'expiry-probe',
    ]);
    const key = await accountsCli<{ token: string }>(system.accountsEnv, [
      'issue-key',
      '--account',
      account.accountId,
      '--role',
      'customer',
    ]);
    expiryAuthorization = `Bearer ${key.token}`;
    expiryClient = new GatewayClient(system.gatewayUrls[1], expiryAuthorization);
  }, 300_000);

  afterAll(async () => {
    await system?.cleanUp();
  });

  /**
   * Due every 5 s from 8 s to 63 s from now (a slow POST must still be early): some before the
   * kill, some while the replicas are away, some after they are back.
   */
  async function addExpiringEntries(): Promise<void> {
    const now = Date.now();
    chaos.entriesAddedAt = now;
    expiring = await Promise.all(
      Array.from({ length: EXPIRING }, async (_, n) => {
        const phone = `+44792220${String(n + 1).padStart(4, '0')}`;
        const expiresAt = new Date(now + 8_000 + n * 5_000);
        const response = await fetch(`${system.gatewayUrls[n % 2]}/v1/block-list`, {
          method: 'POST',
          headers: {
            Authorization: expiryAuthorization,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ phone, expiresAt: expiresAt.toISOString() }),
        });
        const body = (await response.json()) as { entryId: string };
        if (response.status !== 201) throw new Error(`add ${phone}: ${JSON.stringify(body)}`);
        return { entryId: body.entryId, phone, expiresAt };
      }),
    );
  }

  /**
   * SIGKILL to replica 1 of status-tracker and interception-service as soon as send failures
   * wait in the outbox (jobs on their way between the two), to replica 1 of reply-service as
   * soon as unsubscribes wait in its outbox, and to replica 1 of webhook-dispatcher once webhooks
   * flow (deliveries pending after the first 20 went out); each started again at once.
   */
  async function killAndRestart(): Promise<void> {
    const killAndStart = async (names: readonly BackEnd[]) => {
      chaos.killedAt[names.join('+')] = Date.now();
      await Promise.all(names.map((name) => system.killReplica(name)));
      await Promise.all(names.map((name) => system.restartReplica(name)));
      chaos.backAfterMs[names.join('+')] = Date.now() - chaos.killedAt[names.join('+')];
    };
    /** Polls one query on one connection (cheap enough to poll every 20 ms). */
    const whenRows = async (name: BackEnd, sql: string) => {
      const schema = system.schemaOf(name);
      const client = new Client({ connectionString: schema.databaseUrl });
      await client.connect();
      try {
        await client.query(`set search_path to "${schema.schema}"`);
        await waitFor(async () => (await client.query(sql)).rowCount! > 0, {
          timeoutMs: 150_000,
          intervalMs: 20,
          description: sql,
        });
      } finally {
        await client.end();
      }
    };
    await Promise.all([
      (async () => {
        await whenRows('status-tracker', 'select 1 from failure_outbox limit 1');
        await killAndStart(['status-tracker', 'interception-service']);
      })(),
      (async () => {
        await whenRows(
          'reply-service',
          `select 1 from keyword_effect where state = 'PENDING' limit 1`,
        );
        await killAndStart(['reply-service']);
      })(),
      (async () => {
        await whenRows(
          'webhook-dispatcher',
          `select 1 from webhook_delivery where status = 'PENDING'
           and exists (select 1 from webhook_delivery where status = 'DELIVERED' offset 20) limit 1`,
        );
        await killAndStart(['webhook-dispatcher']);
      })(),
    ]);
  }

  it('plays 200 messages while replica 1 of each back end is killed and restarted', async () => {
    await addExpiringEntries();
    const chaosDone = killAndRestart();
    const run = await withLogs(() =>
      runSimulator(
        {
          gatewayUrl: system.gatewayUrls[0],
          targets: system.targets,
          accountsEnv: system.accountsEnv,
        },
        [
          '--messages',
          '200',
          '--accounts',
          '2',
          '--seed',
          '5',
          '--webhook-quiet-ms',
          String(WEBHOOK_LEASE_MS + 3_000),
        ],
      ),
    );
    await withLogs(() => chaosDone);
    summary = run.summary;
    problems = run.summary.problems;
    process.stderr.write(
      `replicas e2e: killed (ms after the expiring entries were added) ${JSON.stringify(
        Object.fromEntries(
          Object.entries(chaos.killedAt).map(([names, at]) => [names, at - chaos.entriesAddedAt]),
        ),
      )}; healthy again after (ms) ${JSON.stringify(chaos.backAfterMs)}; ` +
        `simulator gRPC retries ${summary.counts.grpcRetries}; ` +
        `webhooks ${JSON.stringify(summary.webhooks)}\n`,
    );
    // Pending attributions are checked below (attributed in the end); anything else the
    // simulator saw is a failure.
    expect(problems.filter((p) => !PENDING_ATTRIBUTION.test(p))).toEqual([]);
    expect(summary.settled.every(Boolean)).toBe(true);
    expect(summary.messages).toHaveLength(200);
    expect(Object.keys(chaos.backAfterMs).sort()).toEqual([
      'reply-service',
      'status-tracker+interception-service',
      'webhook-dispatcher',
    ]);
  });

  it('delivers every webhook event at least once, a re-delivery with the same body', async () => {
    const dispatcher = system.schemaOf('webhook-dispatcher');
    // Every event a service wrote (status-tracker's message.status ones go to the receiver) was
    // handed to a dispatcher replica, none refused...
    for (const name of ['status-tracker', 'interception-service', 'reply-service'] as const) {
      const schema = system.schemaOf(name);
      await withLogs(() =>
        waitFor(
          async () => {
            const [row] = await query<{ n: number }>(
              schema,
              'select count(*)::int as n from webhook_outbox',
            );
            return row.n === 0;
          },
          { timeoutMs: 60_000, intervalMs: 200, description: `${name}'s webhook outbox drained` },
        ),
      );
      const [dead] = await query<{ n: number }>(
        schema,
        'select count(*)::int as n from webhook_dead_letter',
      );
      expect({ name, dead: dead.n }).toEqual({ name, dead: 0 });
    }
    // ... and went out, those a killed replica held included (its lease ran out).
    const [deliveries] = await query<{ total: number; delivered: number }>(
      dispatcher,
      `select count(*)::int as total,
              count(*) filter (where status = 'DELIVERED')::int as delivered
       from webhook_delivery`,
    );
    const webhooks = summary.webhooks;
    expect(webhooks).toBeDefined();
    expect(deliveries.total).toBeGreaterThan(summary.messages.length);
    expect(deliveries.delivered).toBe(deliveries.total);
    // One endpoint per account: the receiver saw each delivery's event id, with one body each.
    expect(webhooks).toEqual(
      expect.objectContaining({
        endpoints: summary.accounts.length,
        distinctEvents: deliveries.total,
        badSignatures: 0,
        changedBodies: 0,
      }),
    );
  });

  it('gives every message its exact final status, in PostgreSQL and through the API', async () => {
    const rows = await query<{ message_id: string }>(
      system.schemaOf('status-tracker'),
      'select message_id from message',
    );
    const byId = new Set(rows.map((r) => r.message_id));
    expect(rows).toHaveLength(200);
    await withLogs(() =>
      mapLimited(summary.messages, 8, async (expected) => {
        const message = await customer(
          expected.accountId,
          summary.messages.indexOf(expected) % 2,
        ).get<RestMessage>(`/v1/messages/${encodeURIComponent(expected.messageId)}`);
        const want = expected.expected;
        expect({ id: expected.messageId, status: message.status }).toEqual({
          id: expected.messageId,
          status: lower(want.status),
        });
        expect(byId.has(expected.messageId)).toBe(true);
        if (want.sendFailureCode) expect(message.sendFailureCode).toBe(want.sendFailureCode);
      }),
    );
  });

  it('hands every send failure over exactly once: one recorded failure each, none left or dead', async () => {
    const status = system.schemaOf('status-tracker');
    const interception = system.schemaOf('interception-service');
    await withLogs(() =>
      waitFor(
        async () => {
          const [row] = await query<{ n: number }>(
            status,
            'select count(*)::int as n from failure_outbox',
          );
          return row.n === 0;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: 'the failure outbox drained' },
      ),
    );
    const [dead] = await query<{ n: number }>(
      status,
      'select count(*)::int as n from failure_dead_letter',
    );
    expect(dead.n).toBe(0);
    const recorded = await query<{ message_id: string; code: number }>(
      interception,
      'select message_id, code from recorded_failure',
    );
    const failures = summary.messages.filter((m) => m.expected.sendFailureCode !== undefined);
    expect(recorded.map((r) => `${r.message_id}|${r.code}`).sort()).toEqual(
      failures.map((m) => `${m.messageId}|${m.expected.sendFailureCode}`).sort(),
    );
  });

  it('keeps one ACTIVE entry per slot and exactly the entries the failures imply', async () => {
    const interception = system.schemaOf('interception-service');
    const doubled = await query(
      interception,
      `select phone, scope, owner_account_id, count(*)::int as n from block_entry
       where state = 'ACTIVE' group by 1, 2, 3 having count(*) > 1`,
    );
    expect(doubled).toEqual([]);
    const expected = summary.expectedEntries;
    // Through the other gateway, page by page (small pages: the tokens cross replicas).
    const entries = (await operator(1).all<RestEntry>('/v1/admin/block-list')).filter(
      (e) => e.sendFailureCode !== null,
    );
    const key = (e: {
      phone: string;
      scope: string;
      owner: string | null;
      code: number | null;
      state: string;
    }) => `${e.phone}|${e.scope}|${e.owner}|${e.code}|${e.state}`;
    expect(
      entries.map((e) => key({ ...e, owner: e.ownerAccountId, code: e.sendFailureCode })).sort(),
    ).toEqual(
      expected
        .map((e) =>
          key({
            phone: e.phone,
            scope: lower(e.scope),
            owner: e.ownerAccountId,
            code: e.code,
            state: lower(e.state),
          }),
        )
        .sort(),
    );
    for (const entry of entries) {
      const rule = catalogue.ruleFor(entry.sendFailureCode ?? 0);
      expect(entry.state).toBe(rule.blocks ? 'active' : 'expired');
    }
  });

  it('expires every entry exactly once, never early, late by at most the lock and stall times', async () => {
    const interception = system.schemaOf('interception-service');
    const ids = expiring.map((e) => e.entryId);
    const rows = await withLogs(() =>
      waitFor(
        async () => {
          const found = await query<{
            id: string;
            state: string;
            version: number;
            expires_at: Date;
            updated_at: Date;
          }>(
            interception,
            'select id, state, version, expires_at, updated_at from block_entry where id = any($1)',
            [ids],
          );
          return found.every((r) => r.state === 'EXPIRED') ? found : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: `${EXPIRING} entries expired` },
      ),
    );
    expect(rows).toHaveLength(EXPIRING);
    const lateness = rows.map((r) => r.updated_at.getTime() - r.expires_at.getTime());
    process.stderr.write(
      `replicas e2e: expiry lateness ms ${JSON.stringify(lateness.sort((a, b) => a - b))} ` +
        `(bound ${EXPIRY_LATENESS_BOUND_MS})\n`,
    );
    // Exactly once: the expiry is one conditional update (ACTIVE and due -> EXPIRED), so a
    // second job or the sweep finds nothing to do; never early: the update requires its time.
    expect(lateness.filter((ms) => ms < 0)).toEqual([]);
    expect(lateness.filter((ms) => ms > EXPIRY_LATENESS_BOUND_MS)).toEqual([]);
    // And the API agrees: the numbers are allowed again.
    for (const { phone } of expiring) {
      const check = await expiryClient.get<{ verdict: string }>('/v1/block-list/check', { phone });
      expect({ phone, verdict: check.verdict }).toEqual({ phone, verdict: 'allow' });
    }
  });

  it('applies every unsubscribe exactly once', async () => {
    const reply = system.schemaOf('reply-service');
    const interception = system.schemaOf('interception-service');
    const effects = await withLogs(() =>
      waitFor(
        async () => {
          const rows = await query<{ reply_id: string; state: string }>(
            reply,
            'select reply_id, state from keyword_effect',
          );
          return rows.every((r) => r.state !== 'PENDING') ? rows : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: 'every keyword effect applied' },
      ),
    );
    expect(effects.filter((e) => e.state !== 'APPLIED')).toEqual([]);
    const rows = await query<{ account_id: string; phone: string; state: string }>(
      interception,
      `select account_id, phone, state from unsubscribe where state = 'ACTIVE'`,
    );
    const want = summary.unsubscribes.map((u) => `${u.accountId}|${u.phone}|ACTIVE`).sort();
    expect(rows.map((r) => `${r.account_id}|${r.phone}|${r.state}`).sort()).toEqual(want);
    // Through both gateways, one per account.
    for (const [n, account] of summary.accounts.entries()) {
      const listed = await customer(account.accountId, n % 2).all<{ phone: string }>(
        '/v1/unsubscribes',
      );
      expect(listed.map((u) => u.phone).sort()).toEqual(
        summary.unsubscribes
          .filter((u) => u.accountId === account.accountId)
          .map((u) => u.phone)
          .sort(),
      );
    }
  });

  it('attributes every reply, those left PENDING by the kill included', async () => {
    const attribution = {
      MESSAGE: 'message_id',
      ACCOUNT: 'account_latest',
      NONE: 'latest_message',
    };
    for (const account of summary.accounts) {
      const expected = summary.replies.filter((r) => r.accountId === account.accountId);
      const listed = await withLogs(() =>
        waitFor(
          async () => {
            const all = await customer(account.accountId).all<RestReply>('/v1/replies');
            return all.length >= expected.length && all.every((r) => r.attribution !== 'pending')
              ? all
              : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 300, description: 'every reply attributed' },
        ),
      );
      expect(listed.map((r) => r.replyId).sort()).toEqual(expected.map((r) => r.replyId).sort());
      for (const want of expected) {
        expect(listed.find((r) => r.replyId === want.replyId)).toEqual(
          expect.objectContaining({
            messageId: want.messageId,
            attribution: attribution[want.naming],
          }),
        );
      }
    }
  });

  it('follows page tokens across gateways and replicas without a gap or a repeat', async () => {
    for (const account of summary.accounts) {
      const mine = summary.messages.filter((m) => m.accountId === account.accountId);
      const seen: string[] = [];
      let pageToken: string | null = null;
      let page = 0;
      do {
        // Each page through the other gateway; each gateway alternates the status replicas.
        const result: Page<RestMessage> = await customer(account.accountId, page % 2).get<
          Page<RestMessage>
        >('/v1/messages', { pageSize: '7', ...(pageToken ? { pageToken } : {}) });
        seen.push(...result.data.map((m) => m.messageId));
        pageToken = result.nextPageToken;
        page += 1;
      } while (pageToken);
      expect(page).toBeGreaterThan(4);
      expect(seen).toHaveLength(new Set(seen).size);
      expect(seen.sort()).toEqual(mine.map((m) => m.messageId).sort());
    }
  });

  it('keeps a console session across gateways: signed in on one, used and ended on the other', async () => {
    const user = summary.accounts[0].consoleUser;
    const signIn = await fetch(`${system.gatewayUrls[0]}/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const current = await fetch(`${system.gatewayUrls[1]}/v1/session`, { headers: { cookie } });
    expect(current.status).toBe(200);
    expect(((await current.json()) as { user: { email: string } }).user.email).toBe(user.email);
    const signOut = await fetch(`${system.gatewayUrls[1]}/v1/session`, {
      method: 'DELETE',
      headers: { cookie, 'X-CSRF-Token': csrfToken },
    });
    expect(signOut.status).toBe(204);
    const after = await fetch(`${system.gatewayUrls[0]}/v1/session`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('spreads calls over both replicas of every back end again, the restarted one included', async () => {
    const served = async (name: BackEnd): Promise<boolean[]> =>
      Promise.all(
        system.replicas(name).map(async (replica) => {
          const text = await (await fetch(`http://127.0.0.1:${replica.httpPort}/metrics`)).text();
          const handled = text
            .split('\n')
            .filter((line) => line.startsWith('grpc_server_handled_total'))
            .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
          return handled > 0;
        }),
      );
    const account = summary.accounts[0];
    const phone = summary.messages[0].recipient;
    // The clients reconnect to a restarted replica on their own back-off: call until they have.
    const answers = await withLogs(() =>
      waitFor(
        async () => {
          for (const index of [0, 1]) {
            const client = customer(account.accountId, index);
            await client.get('/v1/messages', { pageSize: '1' });
            await client.get('/v1/block-list/check', { phone });
            await client.get('/v1/replies', { pageSize: '1' });
            await client.get('/v1/webhooks');
          }
          const all = await Promise.all(BACK_ENDS.map(async (name) => [name, await served(name)]));
          return all.every(([, both]) => (both as boolean[]).every(Boolean)) ? all : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, description: 'calls served by every replica' },
      ),
    );
    expect(Object.fromEntries(answers)).toEqual(
      Object.fromEntries(BACK_ENDS.map((name) => [name, [true, true]])),
    );
    // How many jobs the killed replicas held and stall detection gave back (a figure, not a
    // condition: it depends on what was in flight at the kill).
    const redis = new Redis(testInfrastructure().redisUrl);
    try {
      const counts: Record<string, number> = {};
      for (const [name, tag] of [
        ['status-tracker', 'status'],
        ['interception-service', 'interception'],
        ['reply-service', 'reply'],
        ['webhook-dispatcher', 'webhook'],
      ] as const) {
        const keys = await scanKeys(redis, `{${system.replicas(name)[0].redisBase}:${tag}}:*`);
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.hget(key, 'stc');
        const results = (await pipeline.exec()) ?? [];
        counts[name] = results.filter(([error, value]) => !error && Number(value) > 0).length;
      }
      process.stderr.write(
        `replicas e2e: jobs recovered after a stall ${JSON.stringify(counts)}\n`,
      );
    } finally {
      redis.disconnect();
    }
  });
});
