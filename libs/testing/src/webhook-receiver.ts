import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly at: number;
  /** Set once the connection closed (the dispatcher hung up or the answer went out). */
  closedAt?: number;
}

/** How the receiver answers one request: a status, or 'hang' (never answers). */
export type Behaviour = (
  request: ReceivedRequest,
  nth: number,
) => number | 'hang' | Promise<number>;

/** A real HTTP receiver on 127.0.0.1: behaviour per path, every request kept. */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private server!: Server;
  inFlight = 0;
  maxInFlight = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string, behaviour: Behaviour): void {
    this.behaviours.set(path, behaviour);
  }

  at(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      path: req.url ?? '',
      id: String(req.headers['webhook-id'] ?? ''),
      timestamp: String(req.headers['webhook-timestamp'] ?? ''),
      signature: String(req.headers['webhook-signature'] ?? ''),
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    const nth = this.at(request.path).length;
    this.requests.push(request);
    res.on('close', () => (request.closedAt = Date.now()));
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const answer = await (this.behaviours.get(request.path) ?? (() => 200))(request, nth);
      if (answer === 'hang') return;
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'nope');
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** The receiver's side of Standard Webhooks, as the README shows it. */
export function verifySignature(secret: string, request: ReceivedRequest): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${request.id}.${request.timestamp}.${request.body}`)
    .digest();
  return request.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
