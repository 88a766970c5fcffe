import { connect, createServer, type Server, type Socket } from 'node:net';

type Mode = 'open' | 'cut' | 'blackhole';

/**
 * A TCP forwarder to a real server (PostgreSQL, Redis) that a test can cut (connections drop,
 * new ones are refused), black-hole (connections stay open but nothing passes either way) and
 * restore, to fail a dependency for one app process without touching the shared server.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket | null]>();
  private server: Server | undefined;
  private mode: Mode = 'open';

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(port, targetPort, targetHost);
    await proxy.listen();
    return proxy;
  }

  /** Stops accepting and drops every open connection: the target is now unreachable. */
  async cut(): Promise<void> {
    this.mode = 'cut';
    this.dropAll();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Open connections hang (nothing passes), new ones are accepted and hang too. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const [client, upstream] of this.pairs) {
      client.unpipe();
      upstream?.unpipe();
      client.pause();
      upstream?.pause();
    }
  }

  /** Forwards again (held connections are dropped so clients reconnect cleanly). */
  async restore(): Promise<void> {
    const wasBlackhole = this.mode === 'blackhole';
    this.mode = 'open';
    if (wasBlackhole) this.dropAll();
    if (!this.server) await this.listen();
  }

  private dropAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream?.destroy();
    }
    this.pairs.clear();
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.mode !== 'open') {
      const held: [Socket, Socket | null] = [client, null];
      this.pairs.add(held);
      client.on('close', () => this.pairs.delete(held));
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: [Socket, Socket | null] = [client, upstream];
    this.pairs.add(pair);
    upstream.on('error', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => {
      upstream.destroy();
      this.pairs.delete(pair);
    });
    upstream.on('close', () => client.destroy());
  }
}
