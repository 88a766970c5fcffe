import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { hostOf, resolveTarget, urlProblem, type UrlRules } from './webhook-url';

export interface SendSettings extends UrlRules {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Keep-alive pools (one TLS handshake per connection, not per attempt); none: a fresh one. */
  readonly agents?: SendAgents;
}

export interface SendAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/**
 * Keep-alive agents for attempts. Idle connections close after 4 s, before the 5 s many
 * servers (Node's default among them) keep them, so a reused connection is rarely one the
 * receiver is closing at that moment.
 */
export function keepAliveAgents(maxSockets: number): SendAgents {
  const options = { keepAlive: true, timeout: 4_000, maxSockets, scheduling: 'lifo' as const };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

export interface Attempt {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type AttemptResult =
  | { readonly outcome: 'delivered'; readonly httpCode: number }
  /** `httpCode` 0: no answer (timeout, refused, unreachable). `retry` false: never retried. */
  | {
      readonly outcome: 'failed';
      readonly httpCode: number;
      readonly error: string;
      readonly retry: boolean;
    };

/**
 * One POST to a customer's endpoint. The host is resolved and checked first and the connection
 * goes to exactly that address (no second lookup, so no DNS rebinding); redirects are not
 * followed; at most maxResponseBytes of the answer are read; the whole attempt (connect, TLS,
 * send, answer) is cut at timeoutMs.
 */
export async function sendWebhook(
  attempt: Attempt,
  settings: SendSettings,
): Promise<AttemptResult> {
  const first = await sendOnce(attempt, settings);
  if (first !== STALE_CONNECTION) return first;
  // A kept-alive connection the receiver closed just as it was reused: once more, on a new one.
  const second = await sendOnce(attempt, { ...settings, agents: undefined });
  return second === STALE_CONNECTION
    ? { outcome: 'failed', httpCode: 0, error: 'connection reset', retry: true }
    : second;
}

const STALE_CONNECTION = Symbol('stale connection');

async function sendOnce(
  attempt: Attempt,
  settings: SendSettings,
): Promise<AttemptResult | typeof STALE_CONNECTION> {
  const problem = urlProblem(attempt.url, settings);
  if (problem) return { outcome: 'failed', httpCode: 0, error: problem, retry: false };
  const url = new URL(attempt.url);
  const target = await resolveTarget(url, settings.allowed);
  if (!target.ok) return { outcome: 'failed', httpCode: 0, error: target.problem, retry: true };
  const pinned = target.address;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: pinned.address, family: pinned.family },
      ]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const agent = settings.agents ? (https ? settings.agents.https : settings.agents.http) : false;
  const body = Buffer.from(attempt.body, 'utf8');
  return new Promise<AttemptResult | typeof STALE_CONNECTION>((resolve) => {
    let settled = false;
    /** `keep`: the answer was read to its end, the connection may serve the next attempt. */
    const finish = (result: AttemptResult | typeof STALE_CONNECTION, keep = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!keep) req.destroy();
      resolve(result);
    };
    const req = send(url, {
      method: 'POST',
      lookup,
      // TLS still verifies the certificate for the URL's name.
      servername: hostOf(url),
      headers: {
        ...attempt.headers,
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': 'sms-webhooks/1',
      },
      agent,
    });
    const timer = setTimeout(
      () =>
        finish({
          outcome: 'failed',
          httpCode: 0,
          error: `no answer within ${settings.timeoutMs} ms`,
          retry: true,
        }),
      settings.timeoutMs,
    );
    let answered = false;
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && req.reusedSocket && error.code === 'ECONNRESET') {
        finish(STALE_CONNECTION);
        return;
      }
      finish({ outcome: 'failed', httpCode: 0, error: error.message, retry: true });
    });
    req.on('response', (response: IncomingMessage) => {
      answered = true;
      const code = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (keep: boolean) => {
        const text = Buffer.concat(chunks).subarray(0, settings.maxResponseBytes).toString('utf8');
        if (code >= 200 && code < 300) finish({ outcome: 'delivered', httpCode: code }, keep);
        else
          finish(
            {
              outcome: 'failed',
              httpCode: code,
              error:
                code >= 300 && code < 400
                  ? `redirect to ${String(response.headers.location ?? '?')} not followed`
                  : `HTTP ${code}${text ? `: ${text.slice(0, 500)}` : ''}`,
              retry: true,
            },
            keep,
          );
      };
      response.on('data', (chunk: Buffer) => {
        if (size >= settings.maxResponseBytes) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough read: the rest of a large answer is never downloaded.
        if (size >= settings.maxResponseBytes) done(false);
      });
      response.on('end', () => done(true));
      response.on('error', (error) =>
        finish({ outcome: 'failed', httpCode: code, error: error.message, retry: true }),
      );
    });
    req.end(body);
  });
}
