import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** One leg of an account's rolling flow: money in from, or out to, a counterparty. */
export interface AccountFlow {
  readonly transferId: string;
  readonly counterpartyKey: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** Minor-unit exponent: the same symbol can differ by chain (USDT has 6 decimals on TRON, 18 on BSC). */
  readonly scale: number;
  readonly atMs: number;
}

export interface FlowToRecord {
  readonly transferId: string;
  readonly debtorKey: string;
  readonly creditorKey: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
  readonly atMs: number;
}

/**
 * Atomically: remember the transfer id (first time only), add the leg to the creditor's inflows and the
 * debtor's outflows, trim both to the retention window measured from each account's latest event, refresh TTLs.
 * Returns 1 when the transfer was new, 0 for a replay or duplicate (nothing is changed then).
 */
const RECORD_FLOW_LUA = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
local score = tonumber(ARGV[4])
local retention = tonumber(ARGV[5])
for i, key in ipairs({KEYS[2], KEYS[3]}) do
  redis.call('ZADD', key, score, ARGV[i + 1])
  local latest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (tonumber(latest) - retention))
  redis.call('EXPIRE', key, ARGV[6])
end
return 1
`;

const SEPARATOR = '\u001f';

const encodeLeg = (
  transferId: string,
  counterpartyKey: string,
  amountMinor: string,
  currency: string,
  scale: number,
): string => [transferId, counterpartyKey, amountMinor, currency, String(scale)].join(SEPARATOR);

const decodeLeg = (member: string, score: string): AccountFlow => {
  const [transferId = '', counterpartyKey = '', amountMinor = '0', currency = '', scale = '0'] =
    member.split(SEPARATOR);
  return {
    transferId,
    counterpartyKey,
    amountMinor: BigInt(amountMinor),
    currency,
    scale: Number(scale),
    atMs: Number(score),
  };
};

const pairs = (flat: readonly string[]): AccountFlow[] => {
  const flows: AccountFlow[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) flows.push(decodeLeg(flat[i] ?? '', flat[i + 1] ?? '0'));
  return flows;
};

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordFlow(
      seenKey: string,
      inflowKey: string,
      outflowKey: string,
      seenTtl: number,
      inflowMember: string,
      outflowMember: string,
      score: number,
      retentionMs: number,
      flowTtl: number,
    ): Result<number, Context>;
  }
}

/** Rolling per-account inflows and outflows in Redis, idempotent per transfer id. */
@Injectable()
export class AccountFlowRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    // Re-defining is harmless; ioredis caches the script's SHA and falls back to EVAL once per connection.
    this.redis.defineCommand('recordFlow', { numberOfKeys: 3, lua: RECORD_FLOW_LUA });
  }

  /** Records a batch; returns the transfer ids that were new (replays and duplicates are left out). */
  async record(flows: readonly FlowToRecord[], retentionMs: number): Promise<Set<string>> {
    const pipeline = this.redis.pipeline();
    for (const f of flows) {
      pipeline.recordFlow(
        redisKeys.transferSeen(f.transferId),
        redisKeys.accountInflows(f.creditorKey),
        redisKeys.accountOutflows(f.debtorKey),
        REDIS_TTL_SECONDS.transferSeen,
        encodeLeg(f.transferId, f.debtorKey, f.amountMinor, f.currency, f.scale),
        encodeLeg(f.transferId, f.creditorKey, f.amountMinor, f.currency, f.scale),
        f.atMs,
        retentionMs,
        REDIS_TTL_SECONDS.accountFlows,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const fresh = new Set<string>();
    results.forEach(([error, created], index) => {
      if (error) throw error;
      const flow = flows[index];
      if (created === 1 && flow) fresh.add(flow.transferId);
    });
    return fresh;
  }

  /** Inflows and outflows of each account with event time at or after `sinceMs`. */
  async read(
    accountKeys: readonly string[],
    sinceMs: number,
  ): Promise<Map<string, { inflows: AccountFlow[]; outflows: AccountFlow[] }>> {
    const pipeline = this.redis.pipeline();
    for (const key of accountKeys) {
      pipeline.zrangebyscore(redisKeys.accountInflows(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.zrangebyscore(redisKeys.accountOutflows(key), sinceMs, '+inf', 'WITHSCORES');
    }
    const results = (await pipeline.exec()) ?? [];
    const flows = new Map<string, { inflows: AccountFlow[]; outflows: AccountFlow[] }>();
    accountKeys.forEach((key, i) => {
      const [inError, inflows] = results[2 * i] ?? [null, []];
      const [outError, outflows] = results[2 * i + 1] ?? [null, []];
      if (inError) throw inError;
      if (outError) throw outError;
      flows.set(key, { inflows: pairs(inflows as string[]), outflows: pairs(outflows as string[]) });
    });
    return flows;
  }
}
