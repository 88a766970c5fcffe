import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry } from '@sms/platform-metrics';
import type { QueueOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { createRedisClient, type RedisClient, type RedisSettings } from './redis';

export const REDIS = Symbol('REDIS');
const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');

@Module({})
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(QUEUE_OPTIONS) private readonly queues: QueueOptions | undefined,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    const clients = [this.redis];
    // BullMQ never closes a client it was given (the cluster one of queueRootOptions).
    if (this.queues?.connection instanceof Cluster) clients.push(this.queues.connection);
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/**
 * One shared Redis client for request paths (not for BullMQ workers, which block): a single
 * server's connection, or a cluster client when `clusterNodes` is set. `queues`: the options
 * given to BullModule.forRoot, whose cluster client is closed with the app.
 */
@Module({})
export class RedisModule {
  static forRoot(settings: RedisSettings, queues?: QueueOptions): DynamicModule {
    const provider = { provide: REDIS, useFactory: () => createRedisClient(settings) };
    return {
      module: RedisModule,
      global: true,
      providers: [provider, { provide: QUEUE_OPTIONS, useValue: queues }, RedisLifecycle],
      exports: [REDIS],
    };
  }
}
