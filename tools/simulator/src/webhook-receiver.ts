// The customer side of webhooks for `npm run simulate`: one endpoint per simulated account on a
// local HTTP server; every request's Standard Webhooks signature is checked with that account's
// secret and every event counted, so the run can print what arrived.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookTotals {
  readonly endpoints: number;
  /** Requests received (re-deliveries included). */
  readonly requests: number;
  /** Distinct webhook-id values: each event counted once. */
  readonly distinctEvents: number;
  /** Requests repeating an id seen before (at-least-once re-deliveries). */
  readonly redeliveries: number;
  readonly badSignatures: number;
  /** Re-deliveries whose body differs from the first delivery of their id (must be 0). */
  readonly changedBodies: number;
  /** Distinct events by `data.status` of message.status events. */
  readonly byStatus: Record<string, number>;
}

/** Standard Webhooks: base64 HMAC-SHA256 over "id.timestamp.body" with the key after whsec_. */
export function signatureValid(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
  header: string,
): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export class SimulatorWebhookReceiver {
  private readonly secrets = new Map<string, string>();
  /** SHA-256 of the first body of each webhook-id: a re-delivery must repeat it. */
  private readonly seen = new Map<string, string>();
  private readonly byStatus: Record<string, number> = {};
  private requests = 0;
  private badSignatures = 0;
  private changedBodies = 0;
  private lastRequestAt = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SimulatorWebhookReceiver> {
    const server = createServer();
    const receiver = new SimulatorWebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        receiver.receive(req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The URL of one account's endpoint; its events are verified with `secret` once set. */
  urlFor(accountId: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/${encodeURIComponent(accountId)}`;
  }

  setSecret(accountId: string, secret: string): void {
    this.secrets.set(`/${encodeURIComponent(accountId)}`, secret);
  }

  /** Resolves once nothing arrived for `quietMs` (or `timeoutMs` passed). */
  async quiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && Date.now() - Math.max(this.lastRequestAt, 0) < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  totals(): WebhookTotals {
    return {
      endpoints: this.secrets.size,
      requests: this.requests,
      distinctEvents: this.seen.size,
      redeliveries: this.requests - this.badSignatures - this.seen.size,
      badSignatures: this.badSignatures,
      changedBodies: this.changedBodies,
      byStatus: { ...this.byStatus },
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(path: string, headers: IncomingHttpHeaders, body: string): void {
    this.requests += 1;
    this.lastRequestAt = Date.now();
    const id = header(headers, 'webhook-id');
    const secret = this.secrets.get(path);
    if (
      !secret ||
      !signatureValid(
        secret,
        id,
        header(headers, 'webhook-timestamp'),
        body,
        header(headers, 'webhook-signature'),
      )
    ) {
      this.badSignatures += 1;
      return;
    }
    const digest = createHash('sha256').update(body).digest('base64');
    const first = this.seen.get(id);
    if (first !== undefined) {
      if (first !== digest) this.changedBodies += 1;
      return;
    }
    this.seen.set(id, digest);
    try {
      const status = (JSON.parse(body) as { data?: { status?: unknown } }).data?.status;
      if (typeof status === 'string') this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    } catch {
      // Counted as an event all the same; the body is the dispatcher's business.
    }
  }
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}
