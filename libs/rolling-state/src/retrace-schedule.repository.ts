import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';

/**
 * Requests a deferred trace per case: the first request is remembered (`<ms>|<reason>`), and the case is due
 * `settle` after the latest request but never later than `maxDelay` after the first. A case whose requests are
 * all for late transfers takes the late timing (`lateSettle`, `lateMaxDelay`); a request for another reason
 * replaces a late first reason (same first time), and the case takes the other timing from then on.
 * KEYS: due, requested. ARGV: now, settle, maxDelay, lateSettle, lateMaxDelay, then case id and reason pairs.
 */
const REQUEST_LUA = `
local now = tonumber(ARGV[1])
for i = 6, #ARGV, 2 do
  local caseId = ARGV[i]
  local reason = ARGV[i + 1]
  local firstText = ARGV[1]
  local firstReason = reason
  local requested = redis.call('HGET', KEYS[2], caseId)
  if requested then
    firstText = string.match(requested, '^(%d+)|') or ARGV[1]
    firstReason = string.match(requested, '^%d+|(.*)$') or reason
    if firstReason == 'late' and reason ~= 'late' then firstReason = reason end
  end
  local value = firstText .. '|' .. firstReason
  if value ~= requested then redis.call('HSET', KEYS[2], caseId, value) end
  local settle = tonumber(ARGV[2])
  local maxDelay = tonumber(ARGV[3])
  if firstReason == 'late' then
    settle = tonumber(ARGV[4])
    maxDelay = tonumber(ARGV[5])
  end
  redis.call('ZADD', KEYS[1], math.min(now + settle, tonumber(firstText) + maxDelay), caseId)
end
return 1
`;

/**
 * Claims up to `limit` due cases: each is scored at the end of the claim's lease, so another instance does not
 * take it meanwhile (and does once the lease passes, if this one stopped). Returns the lease's score, then case
 * id and request (`<ms>|<reason>`) pairs. KEYS: due, requested. ARGV: now, lease, limit.
 */
const CLAIM_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
local out = { tostring(lease) }
for _, caseId in ipairs(due) do
  redis.call('ZADD', KEYS[1], lease, caseId)
  out[#out + 1] = caseId
  out[#out + 1] = redis.call('HGET', KEYS[2], caseId) or ''
end
return out
`;

/**
 * Ends requests a trace satisfied: a claimed case only if no request came since it was claimed (its score is
 * still the lease's), a case traced for another reason ('' claim) whatever its score.
 * KEYS: due, requested. ARGV: case id and claim pairs.
 */
const DONE_LUA = `
for i = 1, #ARGV, 2 do
  local caseId = ARGV[i]
  local claim = ARGV[i + 1]
  local score = redis.call('ZSCORE', KEYS[1], caseId)
  if (not score) or claim == '' or tonumber(score) == tonumber(claim) then
    redis.call('ZREM', KEYS[1], caseId)
    redis.call('HDEL', KEYS[2], caseId)
  end
end
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    requestRetraces(numberOfKeys: number, ...args: string[]): Result<number, Context>;
    claimRetraces(numberOfKeys: number, ...args: string[]): Result<string[], Context>;
    endRetraces(numberOfKeys: number, ...args: string[]): Result<number, Context>;
  }
}

export interface RetraceTiming {
  /** A case is due this long after the latest request for it (requests in between push it back)... */
  readonly settleMs: number;
  /** ...but never later than this after the first request. */
  readonly maxDelayMs: number;
  /**
   * The same for a case whose every request was for a late transfer (reason `late`): its alert is out already
   * and only its amounts are corrected, and a feed that delivers one late transfer is catching up and delivers
   * more. Absent: as the others.
   */
  readonly late?: { readonly settleMs: number; readonly maxDelayMs: number };
}

/** A case claimed for its deferred trace: why it was first requested, and the claim to end it with. */
export interface ClaimedRetrace {
  readonly caseId: string;
  readonly reason: string;
  readonly claim: number;
}

/**
 * Deferred traces of victim cases from the graph (issue 10). A transfer the incremental state cannot carry
 * exactly (late past the journal, another asset, a victim's payment found after the report) asks for its case to
 * be traced from the graph again; while a feed's partitions catch up, such transfers come in bursts, and tracing
 * the case at each one would read its subgraph again and again. A request makes the case due a settle time
 * later (each further request pushes that back, up to a maximum delay), and the trace then covers every
 * transfer committed until it runs. Kept in Redis (a sorted set by due time, a hash of first requests), so a
 * restart loses no request and several tracer instances share the work (a claim leases the case).
 */
@Injectable()
export class RetraceScheduleRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    redis.defineCommand('requestRetraces', { lua: REQUEST_LUA });
    redis.defineCommand('claimRetraces', { lua: CLAIM_LUA });
    redis.defineCommand('endRetraces', { lua: DONE_LUA });
  }

  private readonly keys = [redisKeys.proceedsRetraceDue, redisKeys.proceedsRetraceRequested] as const;

  async request(requests: ReadonlyMap<string, string>, nowMs: number, timing: RetraceTiming): Promise<void> {
    if (requests.size === 0) return;
    const late = timing.late ?? timing;
    await this.redis.requestRetraces(
      2,
      ...this.keys,
      String(Math.floor(nowMs)),
      String(timing.settleMs),
      String(timing.maxDelayMs),
      String(late.settleMs),
      String(late.maxDelayMs),
      ...[...requests].flat(),
    );
  }

  /** Which of these cases wait for a deferred trace (claimed or not). */
  async pending(caseIds: readonly string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const scores = await this.redis.zmscore(redisKeys.proceedsRetraceDue, ...caseIds);
    return new Set(caseIds.filter((_, i) => scores[i] !== null));
  }

  /** Claims up to `limit` cases due at `nowMs` for `leaseMs`. */
  async claimDue(nowMs: number, leaseMs: number, limit: number): Promise<ClaimedRetrace[]> {
    const [lease, ...pairs] = await this.redis.claimRetraces(
      2,
      ...this.keys,
      String(Math.floor(nowMs)),
      String(leaseMs),
      String(limit),
    );
    const claimed: ClaimedRetrace[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const requested = pairs[i + 1] ?? '';
      claimed.push({
        caseId: pairs[i]!,
        reason: requested.slice(requested.indexOf('|') + 1) || 'unknown',
        claim: Number(lease),
      });
    }
    return claimed;
  }

  /**
   * Ends the requests these traces satisfied: a claimed case (`claim`) unless a request came after its claim
   * (it is traced again then), a case traced for another reason (no claim) in any case.
   */
  async done(traced: readonly { readonly caseId: string; readonly claim?: number }[]): Promise<void> {
    if (traced.length === 0) return;
    await this.redis.endRetraces(
      2,
      ...this.keys,
      ...traced.flatMap((t) => [t.caseId, t.claim === undefined ? '' : String(t.claim)]),
    );
  }

  /** How many cases wait for a deferred trace. */
  async size(): Promise<number> {
    return this.redis.zcard(redisKeys.proceedsRetraceDue);
  }
}
