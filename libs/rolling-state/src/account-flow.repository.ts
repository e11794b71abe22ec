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
  /** Outflows only: the debtor's balance after this leg, when the feed reports it (same currency and scale). */
  readonly balanceAfterMinor?: bigint;
}

/** What the rolling state knows of one account: its legs and the first time each recent sender paid it. */
export interface AccountFlowState {
  readonly inflows: AccountFlow[];
  readonly outflows: AccountFlow[];
  /**
   * First payment (event ms) from each sender first seen at or after the read's `sinceMs`; senders absent
   * here either paid before that or were never recorded (the set is bounded, oldest kept).
   */
  readonly senderFirstSeenMs: ReadonlyMap<string, number>;
}

export interface FlowToRecord {
  readonly transferId: string;
  readonly debtorKey: string;
  readonly creditorKey: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
  readonly atMs: number;
  /** Debtor's reported balance after the transfer, in the transfer's currency and scale. */
  readonly debtorBalanceAfterMinor?: string;
}

/** Options of `record`. */
export interface RecordFlowOptions {
  /** Legs older than this before each account's latest event are trimmed. */
  readonly retentionMs: number;
  /** At most this many senders are remembered per account (the earliest seen are kept). */
  readonly maxKnownSenders: number;
}

/**
 * Atomically: remember the transfer id (first time only), add the leg to the creditor's inflows and the
 * debtor's outflows, trim both to the retention window measured from each account's latest event, refresh TTLs;
 * remember when the debtor first paid the creditor (ZADD LT keeps the earliest event time whatever the arrival
 * order), dropping the latest-seen senders beyond the cap so long-standing counterparties stay known.
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
redis.call('ZADD', KEYS[4], 'LT', score, ARGV[7])
local extra = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[8])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[4], -extra, -1) end
redis.call('EXPIRE', KEYS[4], ARGV[9])
return 1
`;

const SEPARATOR = '\u001f';

const encodeLeg = (
  transferId: string,
  counterpartyKey: string,
  amountMinor: string,
  currency: string,
  scale: number,
  balanceAfterMinor?: string,
): string =>
  [
    transferId,
    counterpartyKey,
    amountMinor,
    currency,
    String(scale),
    ...(balanceAfterMinor ? [balanceAfterMinor] : []),
  ].join(SEPARATOR);

const decodeLeg = (member: string, score: string): AccountFlow => {
  const [transferId = '', counterpartyKey = '', amountMinor = '0', currency = '', scale = '0', balance] =
    member.split(SEPARATOR);
  return {
    transferId,
    counterpartyKey,
    amountMinor: BigInt(amountMinor),
    currency,
    scale: Number(scale),
    atMs: Number(score),
    ...(balance ? { balanceAfterMinor: BigInt(balance) } : {}),
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
      sendersKey: string,
      seenTtl: number,
      inflowMember: string,
      outflowMember: string,
      score: number,
      retentionMs: number,
      flowTtl: number,
      senderKey: string,
      maxKnownSenders: number,
      sendersTtl: number,
    ): Result<number, Context>;
  }
}

/** Rolling per-account inflows and outflows in Redis, idempotent per transfer id. */
@Injectable()
export class AccountFlowRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    // Re-defining is harmless; ioredis caches the script's SHA and falls back to EVAL once per connection.
    this.redis.defineCommand('recordFlow', { numberOfKeys: 4, lua: RECORD_FLOW_LUA });
  }

  /** Records a batch; returns the transfer ids that were new (replays and duplicates are left out). */
  async record(flows: readonly FlowToRecord[], options: RecordFlowOptions): Promise<Set<string>> {
    const pipeline = this.redis.pipeline();
    for (const f of flows) {
      pipeline.recordFlow(
        redisKeys.transferSeen(f.transferId),
        redisKeys.accountInflows(f.creditorKey),
        redisKeys.accountOutflows(f.debtorKey),
        redisKeys.accountSenders(f.creditorKey),
        REDIS_TTL_SECONDS.transferSeen,
        encodeLeg(f.transferId, f.debtorKey, f.amountMinor, f.currency, f.scale),
        encodeLeg(f.transferId, f.creditorKey, f.amountMinor, f.currency, f.scale, f.debtorBalanceAfterMinor),
        f.atMs,
        options.retentionMs,
        REDIS_TTL_SECONDS.accountFlows,
        f.debtorKey,
        options.maxKnownSenders,
        REDIS_TTL_SECONDS.accountSenders,
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

  /** Legs of each account with event time at or after `sinceMs`, and the senders first seen since then. */
  async read(accountKeys: readonly string[], sinceMs: number): Promise<Map<string, AccountFlowState>> {
    const pipeline = this.redis.pipeline();
    for (const key of accountKeys) {
      pipeline.zrangebyscore(redisKeys.accountInflows(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.zrangebyscore(redisKeys.accountOutflows(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.zrangebyscore(redisKeys.accountSenders(key), sinceMs, '+inf', 'WITHSCORES');
    }
    const results = (await pipeline.exec()) ?? [];
    const reply = (index: number): string[] => {
      const [error, value] = results[index] ?? [null, []];
      if (error) throw error;
      return value as string[];
    };
    const flows = new Map<string, AccountFlowState>();
    accountKeys.forEach((key, i) => {
      const senders = reply(3 * i + 2);
      const senderFirstSeenMs = new Map<string, number>();
      for (let j = 0; j + 1 < senders.length; j += 2) {
        senderFirstSeenMs.set(senders[j] ?? '', Number(senders[j + 1]));
      }
      flows.set(key, {
        inflows: pairs(reply(3 * i)),
        outflows: pairs(reply(3 * i + 1)),
        senderFirstSeenMs,
      });
    });
    return flows;
  }
}
