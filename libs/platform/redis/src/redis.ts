import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** One seed of a Redis Cluster (REDIS_CLUSTER_NODES). */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where Redis is: one server at `url`, or a Redis Cluster found through `clusterNodes` (then
 * `url` gives only the user, password and TLS; a cluster has database 0 only).
 */
export interface RedisEndpoint {
  readonly url: string;
  readonly clusterNodes?: readonly RedisNode[];
}

export interface RedisSettings extends RedisEndpoint {
  /** Connection name shown by CLIENT LIST. */
  readonly name: string;
  /** BullMQ workers need `null` (block forever); request paths want a bounded retry. */
  readonly maxRetriesPerRequest?: number | null;
  readonly extra?: RedisOptions;
}

/** What the services hold: one server's connection or a cluster's (same commands). */
export type RedisClient = Redis | Cluster;

/** One Redis server's connection (tests and tools that never run on a cluster). */
export function createRedis(settings: RedisSettings): Redis {
  return new Redis(settings.url, {
    connectionName: settings.name,
    maxRetriesPerRequest:
      settings.maxRetriesPerRequest === undefined ? 1 : settings.maxRetriesPerRequest,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    ...settings.extra,
  });
}

/** A cluster client when `clusterNodes` is set, one server's connection otherwise. */
export function createRedisClient(settings: RedisSettings): RedisClient {
  if (!isCluster(settings)) return createRedis(settings);
  return new Cluster([...settings.clusterNodes!], clusterOptions(settings));
}

/**
 * Resolves once the client is ready, or after `timeoutMs` (it keeps connecting). For a client
 * without an offline queue: a cluster client refuses commands until it knows the slots.
 */
export async function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

export function isCluster(endpoint: RedisEndpoint): boolean {
  return (endpoint.clusterNodes?.length ?? 0) > 0;
}

function clusterOptions(settings: RedisSettings): ClusterOptions {
  const url = new URL(settings.url);
  const database = url.pathname.slice(1);
  if (database !== '' && database !== '0')
    throw new Error(
      `REDIS_URL must name database 0 (or none) with REDIS_CLUSTER_NODES: a Redis Cluster has only database 0, not ${database}`,
    );
  // Offline queue and pipelining are options of the cluster client, the rest of its nodes.
  const { enableOfflineQueue, enableAutoPipelining, ...nodeOptions } = settings.extra ?? {};
  return {
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: enableAutoPipelining ?? true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // A restarted master keeps its address and slots: reconnect to it instead of waiting for a
    // MOVED that never comes.
    clusterNodeRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // Topology changes (failover, resharding) are learnt within seconds even without a MOVED.
    slotsRefreshInterval: 5_000,
    // Served by masters only: a replica's answer may miss a block written a moment ago.
    scaleReads: 'master',
    redisOptions: {
      connectionName: settings.name,
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest:
        settings.maxRetriesPerRequest === undefined ? 1 : settings.maxRetriesPerRequest,
      ...nodeOptions,
    },
  };
}

/**
 * The `INFO server` text of the server holding `key`: on a cluster, the master of the key's slot
 * (its run_id changes on a restart or a failover), not whichever node a keyless command reaches.
 */
export async function serverInfoFor(client: RedisClient, key: string): Promise<string> {
  if (!(client instanceof Cluster)) return client.info('server');
  const slot = Number(await client.cluster('KEYSLOT', key));
  let node = masterOfSlot(client, slot);
  if (!node) {
    // A restarted or promoted master joins the client's pool on the next slot refresh.
    await new Promise<void>((resolve, reject) =>
      client.refreshSlotsCache((error) => (error ? reject(error) : resolve())),
    );
    node = masterOfSlot(client, slot);
  }
  if (!node) throw new Error(`no master known for slot ${slot} of the Redis Cluster`);
  return node.info('server');
}

function masterOfSlot(client: Cluster, slot: number): Redis | undefined {
  const owner = client.slots[slot]?.[0];
  return client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
}

/**
 * Every key matching `pattern` (SCAN, never KEYS): on a cluster, from every master, since SCAN
 * reads one node's keys.
 */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  const found: string[] = [];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

/**
 * `{base:service}`: every key of a service shares one Redis Cluster hash slot, so multi-key
 * commands (MGET over a whole batch, BullMQ's Lua scripts) work on a cluster.
 */
export function hashTaggedPrefix(base: string, service: string): string {
  const tag = `${base}:${service}`;
  if (/[{}\s]/.test(tag))
    throw new Error(`Redis prefix parts must not contain braces or spaces: ${tag}`);
  return `{${tag}}`;
}
