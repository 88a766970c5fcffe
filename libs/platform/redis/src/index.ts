export {
  createRedis,
  createRedisClient,
  hashTaggedPrefix,
  isCluster,
  scanKeys,
  serverInfoFor,
  whenReady,
  type RedisClient,
  type RedisEndpoint,
  type RedisNode,
  type RedisSettings,
} from './redis';
export { REDIS, RedisModule } from './redis.module';
export {
  queueErrorReporter,
  queueRootOptions,
  reportQueueErrors,
  workerClassWithLocks,
  type WorkerLockSettings,
} from './queues';
