import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@sms/platform-redis';
import type { FrequencyLimits, FrequencyScope } from './frequency-limits';

// Sliding-window log per (account, number): one sorted set for the template and one across
// templates, scores are send times in ms. The whole decision is one script call, so concurrent
// admissions for a number (from any replica) cannot both take the last slot: it checks every
// window first and records the send in both sets only when all of them have room.
// KEYS: the sets (all under one {account:phone} hash tag, so it runs on a Redis Cluster).
// ARGV: now (ms), member, then per key: window count, then (window ms, limit) pairs.
// Answers {0} (recorded) or {key index, window index, retry at ms} for the first full window.
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local pos = 3
local longest = {}
for k = 1, #KEYS do
  local n = tonumber(ARGV[pos])
  pos = pos + 1
  longest[k] = 0
  for w = 1, n do
    local window = tonumber(ARGV[pos])
    local limit = tonumber(ARGV[pos + 1])
    pos = pos + 2
    if window > longest[k] then longest[k] = window end
    local floor = '(' .. (now - window)
    local used = redis.call('ZCOUNT', KEYS[k], floor, '+inf')
    if used >= limit then
      local leaving = redis.call('ZRANGEBYSCORE', KEYS[k], floor, '+inf', 'WITHSCORES', 'LIMIT', used - limit, 1)
      return {k, w, tonumber(leaving[2]) + window}
    end
  end
end
for k = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - longest[k])
  redis.call('ZADD', KEYS[k], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[k], longest[k])
end
return {0}`;

export interface FrequencyRequest {
  readonly accountId: string;
  readonly phone: string;
  readonly templateId: string;
  readonly limits: FrequencyLimits;
}

export type FrequencyAnswer =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly scope: FrequencyScope;
      readonly seconds: number;
      readonly limit: number;
      /** The earliest time a send fits the window again. */
      readonly retryAtMs: number;
    };

type AdmitReply = [number] | [number, number, number];

type LimiterRedis = RedisClient & {
  admitFrequency(...args: (string | number)[]): Promise<AdmitReply>;
};

const ALLOWED: FrequencyAnswer = { allowed: true };

export class FrequencyLimiter {
  private readonly redis: LimiterRedis;
  private readonly process = randomBytes(4).toString('hex');
  private counter = 0;

  /**
   * @param prefix plain (no braces): the `{account:phone}` tag after it decides the hash slot.
   */
  constructor(
    redis: RedisClient,
    private readonly prefix: string,
  ) {
    if (/[{}]/.test(prefix))
      throw new Error(`frequency key prefix must not contain braces: ${prefix}`);
    redis.defineCommand('admitFrequency', { lua: ADMIT_SCRIPT });
    this.redis = redis as LimiterRedis;
  }

  /** Checks and, when every window has room, records one send. */
  async admit(request: FrequencyRequest, nowMs: number): Promise<FrequencyAnswer> {
    const call = this.call(request, nowMs);
    if (!call) return ALLOWED;
    return this.answer(request, call.scopes, await this.redis.admitFrequency(...call.args));
  }

  /** `admit` for many, in order (a later one sees an earlier one's send), in one round trip. */
  async admitMany(
    requests: readonly FrequencyRequest[],
    nowMs: number,
  ): Promise<FrequencyAnswer[]> {
    const answers: FrequencyAnswer[] = new Array<FrequencyAnswer>(requests.length).fill(ALLOWED);
    if (this.redis.isCluster) {
      // A cluster pipeline must stay within one slot; each number has a slot of its own. Calls
      // for one number still run in order: same slot, same node connection, sent in order.
      const calls = requests.map((request) => this.call(request, nowMs));
      const replies = await Promise.all(
        calls.map((call) =>
          call ? this.redis.admitFrequency(...call.args) : Promise.resolve(undefined),
        ),
      );
      calls.forEach((call, index) => {
        const reply = replies[index];
        if (call && reply) answers[index] = this.answer(requests[index], call.scopes, reply);
      });
      return answers;
    }
    const pipeline = this.redis.pipeline();
    const pending: { index: number; scopes: FrequencyScope[] }[] = [];
    requests.forEach((request, index) => {
      const call = this.call(request, nowMs);
      if (!call) return;
      void (pipeline as unknown as LimiterRedis).admitFrequency(...call.args);
      pending.push({ index, scopes: call.scopes });
    });
    if (pending.length === 0) return answers;
    const replies = (await pipeline.exec()) ?? [];
    pending.forEach(({ index, scopes }, n) => {
      const [error, reply] = replies[n] ?? [new Error('no reply'), null];
      if (error) throw error;
      answers[index] = this.answer(requests[index], scopes, reply as AdmitReply);
    });
    return answers;
  }

  private call(
    request: FrequencyRequest,
    nowMs: number,
  ): { args: (string | number)[]; scopes: FrequencyScope[] } | null {
    const tag = `${this.prefix}{${request.accountId}:${request.phone}}`;
    const keys: string[] = [];
    const windows: (string | number)[] = [];
    const scopes: FrequencyScope[] = [];
    const add = (scope: FrequencyScope, key: string, list: FrequencyLimits['template']) => {
      if (list.length === 0) return;
      keys.push(key);
      scopes.push(scope);
      windows.push(list.length);
      for (const window of list) windows.push(window.seconds * 1000, window.limit);
    };
    add('TEMPLATE', `${tag}:t:${request.templateId}`, request.limits.template);
    add('ACCOUNT', `${tag}:a`, request.limits.account);
    if (keys.length === 0) return null;
    const member = `${nowMs}:${this.process}:${(this.counter = (this.counter + 1) % 1e9)}`;
    return { args: [keys.length, ...keys, nowMs, member, ...windows], scopes };
  }

  private answer(
    request: FrequencyRequest,
    scopes: readonly FrequencyScope[],
    reply: AdmitReply,
  ): FrequencyAnswer {
    if (reply[0] === 0) return ALLOWED;
    const [keyIndex, windowIndex, retryAtMs] = reply as [number, number, number];
    const scope = scopes[keyIndex - 1];
    const window = (scope === 'TEMPLATE' ? request.limits.template : request.limits.account)[
      windowIndex - 1
    ];
    return { allowed: false, scope, seconds: window.seconds, limit: window.limit, retryAtMs };
  }
}
