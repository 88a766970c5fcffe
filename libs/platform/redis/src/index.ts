export { createRedis, hashTaggedPrefix, type RedisSettings } from './redis';
export { REDIS, RedisModule } from './redis.module';
export { queueErrorReporter, queueRootOptions, reportQueueErrors } from './queues';
