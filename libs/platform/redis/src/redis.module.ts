import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry } from '@sms/platform-metrics';
import type { Redis } from 'ioredis';
import { createRedis, type RedisSettings } from './redis';

export const REDIS = Symbol('REDIS');

@Module({})
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('redis', () => this.redis.ping());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis connection for request paths (not for BullMQ workers, which block). */
@Module({})
export class RedisModule {
  static forRoot(settings: RedisSettings): DynamicModule {
    const provider = { provide: REDIS, useFactory: () => createRedis(settings) };
    return {
      module: RedisModule,
      global: true,
      providers: [provider, RedisLifecycle],
      exports: [REDIS],
    };
  }
}
