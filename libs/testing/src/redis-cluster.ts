// A real Redis Cluster from the `redis-server` binary: N masters on free local ports, each with
// a temp directory (nodes.conf), created with `redis-cli --cluster create`, torn down after.
import { Redis } from 'ioredis';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from './wait';

const run = promisify(execFile);

export interface ClusterNodeProcess {
  readonly port: number;
  readonly busPort: number;
  readonly dir: string;
  process: ChildProcess;
}

export interface RedisClusterUnderTest {
  /** Seeds for REDIS_CLUSTER_NODES / ioredis Cluster. */
  readonly nodes: readonly { host: string; port: number }[];
  /** `host:port,...` as REDIS_CLUSTER_NODES takes it. */
  readonly nodesSetting: string;
  readonly servers: readonly ClusterNodeProcess[];
  /** The master serving `key`'s slot (CLUSTER KEYSLOT, then CLUSTER SLOTS). */
  ownerOf(key: string): Promise<ClusterNodeProcess>;
  /** SIGKILL one node and start it again on the same port and directory (empty: no persistence). */
  restart(node: ClusterNodeProcess): Promise<void>;
  /** Every node answers `cluster_state:ok`. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisClusterUnderTest> {
  const servers: ClusterNodeProcess[] = [];
  const launch = (node: ClusterNodeProcess): ChildProcess =>
    spawn(
      'redis-server',
      [
        '--port',
        String(node.port),
        '--cluster-port',
        String(node.busPort),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(node.dir, 'nodes.conf'),
        // Long enough that a restart within it is not judged a failure of the cluster.
        '--cluster-node-timeout',
        '15000',
        '--dir',
        node.dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
  const ping = async (port: number): Promise<string> => {
    const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
    return stdout.trim();
  };
  const stop = async () => {
    await Promise.all(
      servers.map(async (server) => {
        if (server.process.exitCode === null && server.process.signalCode === null) {
          const exited = new Promise((resolve) => server.process.once('exit', resolve));
          server.process.kill('SIGKILL');
          await exited;
        }
        rmSync(server.dir, { recursive: true, force: true });
      }),
    );
  };
  const waitHealthy = async (timeoutMs = 30_000) => {
    await waitFor(
      async () => {
        for (const server of servers) {
          const { stdout } = await run('redis-cli', ['-p', String(server.port), 'cluster', 'info']);
          if (!stdout.includes('cluster_state:ok')) return false;
        }
        return true;
      },
      { timeoutMs, intervalMs: 100, description: 'the Redis Cluster to report cluster_state:ok' },
    );
  };
  try {
    for (let i = 0; i < masters; i += 1) {
      const node: ClusterNodeProcess = {
        port: await freePort(),
        busPort: await freePort(),
        dir: mkdtempSync(join(tmpdir(), 'redis-cluster-')),
        process: undefined as unknown as ChildProcess,
      };
      node.process = launch(node);
      servers.push(node);
    }
    for (const server of servers) {
      await waitFor(async () => (await ping(server.port).catch(() => '')) === 'PONG', {
        timeoutMs: 10_000,
        description: `redis-server on ${server.port}`,
      });
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...servers.map((s) => `127.0.0.1:${s.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitHealthy();
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
  return {
    nodes,
    nodesSetting: nodes.map((n) => `${n.host}:${n.port}`).join(','),
    servers,
    ownerOf: async (key) => {
      const probe = new Redis(servers[0].port, '127.0.0.1', { lazyConnect: true });
      try {
        await probe.connect();
        const slot = Number(await probe.cluster('KEYSLOT', key));
        const ranges = await probe.cluster('SLOTS');
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        const owner = servers.find((s) => s.port === range?.[2][1]);
        if (!owner) throw new Error(`no node serves slot ${slot}`);
        return owner;
      } finally {
        probe.disconnect();
      }
    },
    restart: async (node) => {
      const exited = new Promise((resolve) => node.process.once('exit', resolve));
      node.process.kill('SIGKILL');
      await exited;
      node.process = launch(node);
      await waitFor(async () => (await ping(node.port).catch(() => '')) === 'PONG', {
        timeoutMs: 10_000,
        description: `redis-server on ${node.port} after the restart`,
      });
      await waitHealthy();
    },
    waitHealthy,
    stop,
  };
}
