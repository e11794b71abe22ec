import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { z } from 'zod';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';
import { lostStateError } from './state-epoch.guard';
import { execPipeline, quarantine, readStored } from './stored-json';

/** What was last issued for one (typology, subject): the stable id, its version and a fingerprint of its content. */
export const IssuedAlertStateSchema = z.strictObject({
  alertId: z.string(),
  version: z.number().int().min(1),
  fingerprint: z.string(),
  evidenceCount: z.number().int().min(0),
  /** Reserved but not yet known to be published (a crash in between re-publishes this very version). */
  pending: z.boolean().optional(),
});
export type IssuedAlertState = z.infer<typeof IssuedAlertStateSchema>;

export interface AlertSubjectRef {
  readonly typology: string;
  readonly subjectKey: string;
}

export type ReserveOutcome =
  | { readonly reserved: true }
  /** Another writer (a replica) got there first: decide again from what it wrote. */
  | { readonly reserved: false; readonly current: IssuedAlertState | undefined };

/**
 * Compare-and-set of one alert state: writes ARGV[2] only if the stored version is still ARGV[1] (0 = none).
 * Returns {1} when written, {0, current} on a conflict, {-1, current} when the stored value is not JSON, {-2}
 * when the state epoch marker (KEYS[2]) is gone: Redis lost the state since the batch began, and an alert issued
 * now would take a second id for a subject already alerted.
 */
const RESERVE_LUA = `
if redis.call('EXISTS', KEYS[2]) == 0 then return {-2} end
local current = redis.call('GET', KEYS[1])
local expected = tonumber(ARGV[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if not ok or type(decoded) ~= 'table' then return {-1, current} end
  if tonumber(decoded['version']) ~= expected then return {0, current} end
elseif expected ~= 0 then
  return {0, false}
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return {1}
`;

/** Marks a reserved version published, unless a newer version replaced it meanwhile. */
const CONFIRM_LUA = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, decoded = pcall(cjson.decode, current)
if not ok or type(decoded) ~= 'table' or tonumber(decoded['version']) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserveAlertVersion(
      key: string,
      epochKey: string,
      expectedVersion: number,
      state: string,
      ttl: number,
    ): Result<[number, string | null | undefined], Context>;
    confirmAlertVersion(key: string, version: number, state: string, ttl: number): Result<number, Context>;
  }
}

const KIND = 'alert-state';

/**
 * Issued alert state per (typology, subject). Versions are reserved with a compare-and-set before the alert is
 * published and confirmed after, so two replicas never issue two different contents under one version, and a
 * crash between reserving and publishing re-publishes the reserved version rather than skipping it.
 */
@Injectable()
export class AlertStateRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('reserveAlertVersion', { numberOfKeys: 2, lua: RESERVE_LUA });
    this.redis.defineCommand('confirmAlertVersion', { numberOfKeys: 1, lua: CONFIRM_LUA });
  }

  /** Corrupt states are quarantined and read as absent (the issuer then mints a new alert id, never reusing one). */
  async read(subjects: readonly AlertSubjectRef[]): Promise<(IssuedAlertState | undefined)[]> {
    return readStored(
      this.redis,
      KIND,
      IssuedAlertStateSchema,
      subjects.map((s) => redisKeys.alertState(s.typology, s.subjectKey)),
    );
  }

  /**
   * Reserves `state.version` if the stored version is still `expectedVersion` (0: no state yet). Throws
   * RedisStateLostError when Redis lost the state (see StateEpochGuard) rather than issue on it.
   */
  async reserve(
    ref: AlertSubjectRef,
    expectedVersion: number,
    state: IssuedAlertState,
  ): Promise<ReserveOutcome> {
    const key = redisKeys.alertState(ref.typology, ref.subjectKey);
    const [code, raw] = await this.redis.reserveAlertVersion(
      key,
      redisKeys.stateEpoch,
      expectedVersion,
      JSON.stringify({ ...state, pending: true }),
      REDIS_TTL_SECONDS.alertState,
    );
    if (code === 1) return { reserved: true };
    if (code === -2) throw lostStateError();
    if (code === -1 && typeof raw === 'string') {
      await quarantine(this.redis, KIND, key, raw, 'not JSON');
      return { reserved: false, current: undefined };
    }
    const [current] = typeof raw === 'string' ? await this.read([ref]) : [undefined];
    return { reserved: false, current };
  }

  /** After publishing: the reserved version is issued (a re-evaluation with the same content is then a no-op). */
  async confirm(states: readonly (AlertSubjectRef & IssuedAlertState)[]): Promise<void> {
    if (states.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { typology, subjectKey, pending: _pending, ...state } of states) {
      pipeline.confirmAlertVersion(
        redisKeys.alertState(typology, subjectKey),
        state.version,
        JSON.stringify(state),
        REDIS_TTL_SECONDS.alertState,
      );
    }
    await execPipeline(pipeline);
  }

  /**
   * Puts back states recovered from the alert topic after Redis lost them (`npm run state:rebuild`, run while
   * the detectors are stopped), each expiring when the issued one would have (`ttlSeconds` from now; none when that has passed).
   */
  async restore(
    states: readonly (AlertSubjectRef & IssuedAlertState & { readonly ttlSeconds: number })[],
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { typology, subjectKey, ttlSeconds, ...state } of states) {
      if (ttlSeconds < 1) continue;
      pipeline.set(
        redisKeys.alertState(typology, subjectKey),
        JSON.stringify(state),
        'EX',
        Math.ceil(ttlSeconds),
      );
    }
    if (pipeline.length > 0) await execPipeline(pipeline);
  }

  /** Records issued versions unconditionally (tests and tools; the issuer reserves and confirms instead). */
  async write(states: readonly (AlertSubjectRef & IssuedAlertState)[]): Promise<void> {
    if (states.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { typology, subjectKey, ...state } of states) {
      pipeline.set(
        redisKeys.alertState(typology, subjectKey),
        JSON.stringify(state),
        'EX',
        REDIS_TTL_SECONDS.alertState,
      );
    }
    await execPipeline(pipeline);
  }
}
