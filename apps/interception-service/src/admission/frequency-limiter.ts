import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@sms/platform-redis';
import type { FrequencyLimits, FrequencyScope, FrequencyWindow } from './frequency-limits';

// Sliding-window log per (account, number): one sorted set for the template and one across
// templates, scores are send times in ms. Each message's decision happens inside one script call,
// so concurrent admissions for a number (from any replica) cannot both take the last slot: it
// checks every window first and records the send in both sets only when all of them have room.
// One call decides many messages, in order (a later one sees an earlier one's send): a batch is
// one command instead of a thousand, when its keys may share a call (one Redis; on a Cluster,
// keys of one call must share a slot, so there each message is a call of its own).
// Cost is Redis commands per message (issue 17), so: the window lists ("specs") are sent and
// prepared once per call, not per message; a key is read with one ZREVRANGE of its newest sends
// (as many as the largest limit): window w is full when its limit-th newest send is inside it,
// and that send leaving it is when a send fits again; the read also shows when nothing is older
// than the longest window, and then the trim is skipped. Only refusals are answered. (A ZCOUNT
// per window instead when a limit is large, as a read that long would cost more.)
// Arguments are per call, not per message, where they can be (issue 17: the client's writing of
// them was a large part of a batch's cost): a message's sets are its keys, its member is the
// call's member prefix and its number in the call, and which windows apply to its keys (its
// "layout") is said once per run of messages alike (a batch of one account: one run).
// KEYS: each message's sets in turn (one message's all under one {account:phone} hash tag).
// ARGV: now (ms), member prefix, spec count, per spec: window count then (window ms, limit)
// pairs; layout count, per layout: key count then per key its spec's number; then runs of
// messages: (message count, layout number) pairs, in order.
// Answers four numbers per refused message: its number, key index (within the message), window
// index and retry at ms for its first full window.
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local memberPrefix = ARGV[2]
local nspecs = tonumber(ARGV[3])
local pos = 4
local specs = {}
for s = 1, nspecs do
  local n = tonumber(ARGV[pos])
  pos = pos + 1
  local spec = {n = n, windows = {}, limits = {}, floors = {}, longest = 0, most = 0}
  for w = 1, n do
    local window = tonumber(ARGV[pos])
    local limit = tonumber(ARGV[pos + 1])
    pos = pos + 2
    spec.windows[w] = window
    spec.limits[w] = limit
    spec.floors[w] = '(' .. (now - window)
    if window > spec.longest then spec.longest = window end
    if limit > spec.most then spec.most = limit end
  end
  spec.trim = now - spec.longest
  -- One read of the newest sends instead of a ZCOUNT per window, unless it would return many.
  spec.ranged = spec.most <= 64
  specs[s] = spec
end
local nlayouts = tonumber(ARGV[pos])
pos = pos + 1
local layouts = {}
for l = 1, nlayouts do
  local nkeys = tonumber(ARGV[pos])
  local layout = {}
  for k = 1, nkeys do layout[k] = specs[tonumber(ARGV[pos + k])] end
  pos = pos + 1 + nkeys
  layouts[l] = layout
end
local nargs = #ARGV
local base = 0
local m = 0
local out = {}
local trim = {}
while pos < nargs do
  local run = tonumber(ARGV[pos])
  local mine = layouts[tonumber(ARGV[pos + 1])]
  pos = pos + 2
  local nkeys = #mine
  for r = 1, run do
    m = m + 1
    local full = nil
    for k = 1, nkeys do
      local spec = mine[k]
      trim[k] = true
      if not full then
        local key = KEYS[base + k]
        if spec.ranged then
          local newest = redis.call('ZREVRANGE', key, 0, spec.most - 1, 'WITHSCORES')
          for w = 1, spec.n do
            local score = newest[spec.limits[w] * 2]
            if score then
              score = tonumber(score)
              if score > now - spec.windows[w] then
                full = {k, w, score + spec.windows[w]}
                break
              end
            end
          end
          -- All of the set was read and none of it is past the longest window: nothing to trim.
          local size = #newest
          if size < spec.most * 2 and (size == 0 or tonumber(newest[size]) > spec.trim) then
            trim[k] = false
          end
        else
          for w = 1, spec.n do
            local limit = spec.limits[w]
            local used = redis.call('ZCOUNT', key, spec.floors[w], '+inf')
            if used >= limit then
              local leaving = redis.call('ZRANGEBYSCORE', key, spec.floors[w], '+inf', 'WITHSCORES', 'LIMIT', used - limit, 1)
              full = {k, w, tonumber(leaving[2]) + spec.windows[w]}
              break
            end
          end
        end
      end
    end
    if full then
      out[#out + 1] = m
      out[#out + 1] = full[1]
      out[#out + 1] = full[2]
      out[#out + 1] = full[3]
    else
      local member = memberPrefix .. m
      for k = 1, nkeys do
        local key = KEYS[base + k]
        local spec = mine[k]
        if trim[k] then redis.call('ZREMRANGEBYSCORE', key, '-inf', spec.trim) end
        redis.call('ZADD', key, now, member)
        redis.call('PEXPIRE', key, spec.longest)
      end
    end
    base = base + nkeys
  end
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
  readonly template: string | null;
  readonly account: string | null;
}

/** The window lists of one script call, each sent once and referred to by its number. */
class Specs {
  readonly args: number[] = [];
  private readonly numbers = new Map<readonly FrequencyWindow[], number>();

  get count(): number {
    return this.numbers.size;
  }

  number(windows: readonly FrequencyWindow[]): number {
    let n = this.numbers.get(windows);
    if (n === undefined) {
      this.numbers.set(windows, (n = this.numbers.size + 1));
      this.args.push(windows.length);
      for (const window of windows) this.args.push(window.seconds * 1000, window.limit);
    }
    return n;
  }
}

/** The key layouts of one script call (which spec each of a message's keys uses), numbered. */
class Layouts {
  readonly args: number[] = [];
  private readonly numbers = new Map<number, number>();

  get count(): number {
    return this.numbers.size;
  }

  /** The layout of a message with one key (`second` 0) or two, by their specs' numbers. */
  number(first: number, second = 0): number {
    // Spec numbers stay below 2^21: at most two a message, and a call is far from a million.
    const name = first * 2 ** 21 + second;
    let n = this.numbers.get(name);
    if (n === undefined) {
      this.numbers.set(name, (n = this.numbers.size + 1));
      if (second === 0) this.args.push(1, first);
      else this.args.push(2, first, second);
    }
    return n;
  }
}

export class FrequencyLimiter {
  private readonly redis: LimiterRedis;
  private readonly process = randomBytes(4).toString('hex');
  /** Numbers this process's script calls: with the time, it makes the members unique. */
  private calls = 0;

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
    for (let index = 0; index < requests.length; index++) {
      const request = requests[index];
      const { template, account } = request.limits;
      if (template.length === 0 && account.length === 0) continue;
      const tag = `${this.prefix}{${request.accountId}:${request.phone}}`;
      calls.push({
        index,
        template: template.length > 0 ? `${tag}:t:${request.templateId}` : null,
        account: account.length > 0 ? `${tag}:a` : null,
      });
    }
    if (calls.length === 0) return answers;
    // A Cluster call must stay within one slot, and each number has a slot of its own: a call
    // per number there, its messages in order inside the one script call (separate concurrent
    // calls for one number could be answered out of order: a NOSCRIPT retry or a redirection
    // re-sends one of them).
    const groups = this.redis.isCluster ? groupByNumber(calls) : [calls];
    const replies = await Promise.all(groups.map((group) => this.run(requests, group, nowMs)));
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      const reply = replies[g];
      for (let at = 0; at < reply.length; at += 4) {
        const call = group[reply[at] - 1];
        answers[call.index] = refused(
          requests[call.index],
          call,
          reply[at + 1],
          reply[at + 2],
          reply[at + 3],
        );
      }
    }
    return answers;
  }

  private run(
    requests: readonly FrequencyRequest[],
    group: readonly Call[],
    nowMs: number,
  ): Promise<number[]> {
    const keys: string[] = [];
    const specs = new Specs();
    const layouts = new Layouts();
    // (message count, layout number) pairs: a batch of one account's messages is one run.
    const runs: number[] = [];
    let previous = 0;
    for (const call of group) {
      const { template, account } = requests[call.index].limits;
      let layout: number;
      if (call.template && call.account) {
        keys.push(call.template, call.account);
        layout = layouts.number(specs.number(template), specs.number(account));
      } else if (call.template) {
        keys.push(call.template);
        layout = layouts.number(specs.number(template));
      } else {
        keys.push(call.account as string);
        layout = layouts.number(specs.number(account));
      }
      if (layout === previous) runs[runs.length - 2] += 1;
      else runs.push(1, layout);
      previous = layout;
    }
    // A message's member is this prefix and its number in the call (unique per process, call
    // and time; only the score is read).
    const memberPrefix = `${nowMs}:${this.process}:${(this.calls = (this.calls + 1) % 1e9)}:`;
    return this.redis.admitFrequency(
      keys.length,
      ...keys,
      nowMs,
      memberPrefix,
      specs.count,
      ...specs.args,
      layouts.count,
      ...layouts.args,
      ...runs,
    );
  }
}

function refused(
  request: FrequencyRequest,
  call: Call,
  keyIndex: number,
  windowIndex: number,
  retryAtMs: number,
): FrequencyAnswer {
  // Key 1 is the template's set when the message has one.
  const scope: FrequencyScope = keyIndex === 1 && call.template ? 'TEMPLATE' : 'ACCOUNT';
  const window = (scope === 'TEMPLATE' ? request.limits.template : request.limits.account)[
    windowIndex - 1
  ];
  return { allowed: false, scope, seconds: window.seconds, limit: window.limit, retryAtMs };
}

/** Calls grouped by their `{account:phone}` hash tag (one slot each), first-seen order kept. */
function groupByNumber(calls: readonly Call[]): Call[][] {
  const groups = new Map<string, Call[]>();
  for (const call of calls) {
    const key = (call.template ?? call.account) as string;
    const tag = key.slice(0, key.indexOf('}') + 1);
    const group = groups.get(tag);
    if (group) group.push(call);
    else groups.set(tag, [call]);
  }
  return [...groups.values()];
}
