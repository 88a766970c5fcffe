import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@sms/platform-redis';
import type { FrequencyLimits, FrequencyScope } from './frequency-limits';

// Sliding-window log per (account, number): one sorted set for the template and one across
// templates, scores are send times in ms. Each message's decision happens inside one script call,
// so concurrent admissions for a number (from any replica) cannot both take the last slot: it
// checks every window first and records the send in both sets only when all of them have room.
// One call decides many messages, in order (a later one sees an earlier one's send): a batch is
// one command instead of a thousand, when its keys may share a call (one Redis; on a Cluster,
// keys of one call must share a slot, so there each message is a call of its own).
// KEYS: each message's sets in turn (one message's all under one {account:phone} hash tag).
// ARGV: now (ms), message count, then per message: member, key count, then per key: window
// count, then (window ms, limit) pairs.
// Answers three numbers per message: 0 0 0 (recorded) or key index (within the message), window
// index and retry at ms for its first full window.
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local pos = 3
local base = 0
local out = {}
for m = 1, count do
  local member = ARGV[pos]
  local nkeys = tonumber(ARGV[pos + 1])
  pos = pos + 2
  local longest = {}
  local full = nil
  for k = 1, nkeys do
    local key = KEYS[base + k]
    local n = tonumber(ARGV[pos])
    pos = pos + 1
    longest[k] = 0
    for w = 1, n do
      local window = tonumber(ARGV[pos])
      local limit = tonumber(ARGV[pos + 1])
      pos = pos + 2
      if window > longest[k] then longest[k] = window end
      if not full then
        local floor = '(' .. (now - window)
        local used = redis.call('ZCOUNT', key, floor, '+inf')
        if used >= limit then
          local leaving = redis.call('ZRANGEBYSCORE', key, floor, '+inf', 'WITHSCORES', 'LIMIT', used - limit, 1)
          full = {k, w, tonumber(leaving[2]) + window}
        end
      end
    end
  end
  if full then
    out[#out + 1] = full[1]
    out[#out + 1] = full[2]
    out[#out + 1] = full[3]
  else
    for k = 1, nkeys do
      local key = KEYS[base + k]
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest[k])
      redis.call('ZADD', key, now, member)
      redis.call('PEXPIRE', key, longest[k])
    end
    out[#out + 1] = 0
    out[#out + 1] = 0
    out[#out + 1] = 0
  end
  base = base + nkeys
end
return out`;

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

type LimiterRedis = RedisClient & {
  admitFrequency(...args: (string | number)[]): Promise<number[]>;
};

const ALLOWED: FrequencyAnswer = { allowed: true };

/** One message's part of a script call. */
interface Call {
  readonly index: number;
  readonly keys: string[];
  /** member, key count, then per key: window count and (window ms, limit) pairs. */
  readonly args: (string | number)[];
  readonly scopes: FrequencyScope[];
}

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
    const [answer] = await this.admitMany([request], nowMs);
    return answer;
  }

  /** `admit` for many, in order (a later one sees an earlier one's send), in one round trip. */
  async admitMany(
    requests: readonly FrequencyRequest[],
    nowMs: number,
  ): Promise<FrequencyAnswer[]> {
    const answers: FrequencyAnswer[] = new Array<FrequencyAnswer>(requests.length).fill(ALLOWED);
    const calls: Call[] = [];
    requests.forEach((request, index) => {
      const call = this.call(request, index, nowMs);
      if (call) calls.push(call);
    });
    if (calls.length === 0) return answers;
    // A Cluster call must stay within one slot, and each number has a slot of its own: a call
    // per number there, its messages in order inside the one script call (separate concurrent
    // calls for one number could be answered out of order: a NOSCRIPT retry or a redirection
    // re-sends one of them).
    const groups = this.redis.isCluster ? groupByNumber(calls) : [calls];
    const replies = await Promise.all(groups.map((group) => this.run(group, nowMs)));
    groups.forEach((group, g) => {
      group.forEach((call, n) => {
        const reply = replies[g];
        if (reply[n * 3] !== 0)
          answers[call.index] = this.refused(requests[call.index], call.scopes, reply, n * 3);
      });
    });
    return answers;
  }

  private run(group: readonly Call[], nowMs: number): Promise<number[]> {
    const keys: string[] = [];
    const args: (string | number)[] = [nowMs, group.length];
    for (const call of group) {
      for (const key of call.keys) keys.push(key);
      for (const arg of call.args) args.push(arg);
    }
    return this.redis.admitFrequency(keys.length, ...keys, ...args);
  }

  private call(request: FrequencyRequest, index: number, nowMs: number): Call | null {
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
    return { index, keys, args: [member, keys.length, ...windows], scopes };
  }

  private refused(
    request: FrequencyRequest,
    scopes: readonly FrequencyScope[],
    reply: readonly number[],
    at: number,
  ): FrequencyAnswer {
    const [keyIndex, windowIndex, retryAtMs] = [reply[at], reply[at + 1], reply[at + 2]];
    const scope = scopes[keyIndex - 1];
    const window = (scope === 'TEMPLATE' ? request.limits.template : request.limits.account)[
      windowIndex - 1
    ];
    return { allowed: false, scope, seconds: window.seconds, limit: window.limit, retryAtMs };
  }
}

/** Calls grouped by their `{account:phone}` hash tag (one slot each), first-seen order kept. */
function groupByNumber(calls: readonly Call[]): Call[][] {
  const groups = new Map<string, Call[]>();
  for (const call of calls) {
    const key = call.keys[0];
    const tag = key.slice(0, key.indexOf('}') + 1);
    const group = groups.get(tag);
    if (group) group.push(call);
    else groups.set(tag, [call]);
  }
  return [...groups.values()];
}
