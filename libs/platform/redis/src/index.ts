export { createRedis, hashTaggedPrefix, type RedisSettings } from './redis';
export { REDIS, RedisModule } from './redis.module';
export { queueRootOptions, reportQueueErrors } from './queues';
