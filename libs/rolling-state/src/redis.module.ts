import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

export interface RedisConnection {
  readonly url: string;
  readonly keyPrefix: string;
}

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

export const createRedis = ({ url, keyPrefix }: RedisConnection): Redis =>
  new Redis(url, { keyPrefix, maxRetriesPerRequest: 5, enableAutoPipelining: true });

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

@Module({})
export class RedisModule {
  static forRoot(connection: RedisConnection): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [{ provide: REDIS_CLIENT, useFactory: () => createRedis(connection) }, RedisLifecycle],
      exports: [REDIS_CLIENT],
    };
  }
}
