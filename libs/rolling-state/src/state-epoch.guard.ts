import { Inject, Injectable, type CanActivate, type OnApplicationBootstrap } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { redisKeys } from './redis-keys';

export class RedisStateLostError extends Error {
  override readonly name = 'RedisStateLostError';
}

/**
 * Notices that Redis lost this deployment's state (a restart without persistence, a flush, a failover to an empty
 * replica) before a batch runs on empty windows: a stateful service writes a marker key when it starts (unless
 * one is there) and each batch first checks it is still there. Without it the batch fails with
 * `RedisStateLostError` and is not committed: the consumer retries within its restart budget (readiness false,
 * `scamflow_batch_failures_total{errorClass="RedisStateLostError"}`), then exits. A batch that began before the
 * loss is stopped where it would issue an alert (the alert state reservation checks the marker in the same
 * script), so no subject gets a second alert id from it. Meanwhile the operator stops the
 * stateful services and runs `npm run state:rebuild`, which puts the marker back (docs/operations.md).
 *
 * The marker has no expiry: under an `allkeys-*` eviction policy Redis could evict it like any state key, which
 * is a loss of state too.
 */
@Injectable()
export class StateEpochGuard implements CanActivate, OnApplicationBootstrap {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    await markStateEpoch(this.redis);
  }

  async canActivate(): Promise<boolean> {
    if ((await this.redis.exists(redisKeys.stateEpoch)) === 1) return true;
    throw lostStateError();
  }
}

export const lostStateError = (): RedisStateLostError =>
  new RedisStateLostError(
    'Redis lost this deployment state (its state epoch marker is gone): stop the stateful services and run ' +
      '`npm run state:rebuild` (docs/operations.md, "Redis state lost"), then start them',
  );

/** Writes the state epoch marker unless one is there (a service start, or the rebuild once state is restored). */
export const markStateEpoch = async (redis: Redis): Promise<void> => {
  await redis.set(redisKeys.stateEpoch, new Date().toISOString(), 'NX');
};
