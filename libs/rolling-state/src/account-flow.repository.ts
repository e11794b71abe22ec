import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** One leg as stored: money in from, or out to, a counterparty (event time in ms). */
export interface FlowLegRecord {
  readonly transferId: string;
  readonly counterpartyKey: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly scale: number;
  readonly atMs: number;
  readonly balanceAfterMinor?: bigint;
  /** The counterparty's institution, account id and country, when recorded (alerts name it). */
  readonly counterparty?: CounterpartyRecord;
}

export interface CounterpartyRecord {
  readonly institutionId: string;
  readonly accountId: string;
  readonly country: string;
}

/** Running moments of one side (in/out) and asset of an account, as stored (see the Lua below). */
export interface SideStatsRecord {
  readonly currency: string;
  readonly scale: number;
  readonly count: number;
  readonly amountMean: number;
  readonly amountVariance: number;
  readonly gapCount: number;
  readonly gapMeanMs: number;
  readonly gapVarianceMs2: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  /** Most legs in one earlier tumbling window of the side's peak window (late legs into a closed window are not counted). */
  readonly previousPeakPerWindow: number;
}

/** What the store holds of one account; the mule detector maps it to its own domain type. */
export interface AccountFlowRecord {
  readonly inflows: FlowLegRecord[];
  readonly outflows: FlowLegRecord[];
  readonly senderFirstSeenMs: ReadonlyMap<string, number>;
  /** Keyed "in|THB/2" / "out|THB/2". */
  readonly stats: ReadonlyMap<string, SideStatsRecord>;
  /** Legs dropped by the per-account cap since the account's state was created, per side. */
  readonly cappedLegs: { readonly in: number; readonly out: number };
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
  readonly debtor?: CounterpartyRecord;
  readonly creditor?: CounterpartyRecord;
  /** Tumbling window (ms) over which the creditor's inflow peak and the debtor's outflow peak are counted. */
  readonly creditorPeakWindowMs: number;
  readonly debtorPeakWindowMs: number;
}

/** Options of `record`. */
export interface RecordFlowOptions {
  /**
   * Legs older than this before each account's latest event are trimmed, and a leg arriving older than that
   * is refused as too late (the detectors' longest window plus the allowed lateness).
   */
  readonly retentionMs: number;
  /** At most this many senders are remembered per account (the earliest seen are kept). */
  readonly maxKnownSenders: number;
  /** At most this many legs per account and side; the oldest are dropped beyond it (a hub is summarised). */
  readonly maxLegsPerAccountSide: number;
}

/** How a batch went: transfers with at least one new leg, and legs refused as later than the retention. */
export interface RecordOutcome {
  readonly fresh: Set<string>;
  readonly tooLate: number;
}

/**
 * Atomically, per side (the creditor's inflow, the debtor's outflow), each exactly once:
 * - a leg already in the side's sorted set is a replay: nothing changes;
 * - a leg older than the side's latest event minus the retention is refused as too late when the side ever
 *   trimmed a leg at or after its time (`trimmed|<side>`: the newest event time trimmed by age, written from the
 *   side's first leg on), and so is a leg not newer than a leg the cap dropped: a replay of a trimmed leg can
 *   never count twice. An older leg the side never trimmed around was never seen: it is kept (this call trims
 *   nothing) so the detectors judge windows at its own time. Catching up, an account's legs come from every
 *   partition of the accepted topic and partitions drift apart by weeks; refusing those legs lost split payments
 *   (eval:amlsim, daily-batch: recall 0.553 -> 0.577 with this). Sides recorded before the watermark existed keep
 *   the old rule (refuse anything older than the retention);
 * - otherwise it is added, the side is trimmed by time and by the cap (the cap's floor and the number dropped are
 *   kept), and the side's running moments are updated in O(1) (Welford: count, mean and M2 of the amount and of
 *   the gap between in-order legs; a late leg adds no gap), plus the most legs seen in one earlier tumbling
 *   window (`peakWindow`, the fan detectors' window) so a payroll run every month is its own precedent.
 * The creditor also remembers when the debtor first paid it (ZADD LT keeps the earliest whatever the order),
 * dropping the latest-seen senders beyond the cap so long-standing counterparties stay known.
 * Returns {in added (1/0/-1 too late), out added}.
 */
const RECORD_FLOW_LUA = `
local score = tonumber(ARGV[3])
local retention = tonumber(ARGV[4])
local maxLegs = tonumber(ARGV[9])
local amount = tonumber(ARGV[12])
local function side(legs, stats, member, sideName, prefix, peakWindow)
  if redis.call('ZSCORE', legs, member) then return 0 end
  local latest = redis.call('ZRANGE', legs, -1, -1, 'WITHSCORES')[2]
  local trimmed = redis.call('HGET', stats, 'trimmed|' .. sideName)
  if not latest and not trimmed then
    redis.call('HSET', stats, 'trimmed|' .. sideName, -1)
    trimmed = '-1'
  end
  local late = latest and score < tonumber(latest) - retention
  if late and (not trimmed or score <= tonumber(trimmed)) then return -1 end
  local capFloor = redis.call('HGET', stats, 'capFloor|' .. sideName)
  if capFloor and score <= tonumber(capFloor) then return -1 end
  redis.call('ZADD', legs, score, member)
  if not late then
    local bound = tonumber(redis.call('ZRANGE', legs, -1, -1, 'WITHSCORES')[2]) - retention
    local gone = redis.call('ZREVRANGEBYSCORE', legs, '(' .. bound, '-inf', 'WITHSCORES', 'LIMIT', 0, 1)[2]
    if gone then
      redis.call('ZREMRANGEBYSCORE', legs, '-inf', '(' .. bound)
      if not trimmed or tonumber(gone) > tonumber(trimmed) then
        redis.call('HSET', stats, 'trimmed|' .. sideName, gone)
      end
    end
  end
  local extra = redis.call('ZCARD', legs) - maxLegs
  if extra > 0 then
    local dropped = redis.call('ZPOPMIN', legs, extra)
    redis.call('HSET', stats, 'capFloor|' .. sideName, dropped[#dropped])
    redis.call('HINCRBY', stats, 'capped|' .. sideName, extra)
  end
  redis.call('EXPIRE', legs, ARGV[5])
  local v = redis.call('HMGET', stats, prefix .. 'n', prefix .. 'mean', prefix .. 'm2', prefix .. 'gn',
    prefix .. 'gmean', prefix .. 'gm2', prefix .. 'first', prefix .. 'last', prefix .. 'wstart',
    prefix .. 'wcount', prefix .. 'wpeak')
  local n = tonumber(v[1] or '0')
  local mean = tonumber(v[2] or '0')
  local m2 = tonumber(v[3] or '0')
  local gn = tonumber(v[4] or '0')
  local gmean = tonumber(v[5] or '0')
  local gm2 = tonumber(v[6] or '0')
  local first = tonumber(v[7] or ARGV[3])
  local last = tonumber(v[8] or ARGV[3])
  n = n + 1
  local delta = amount - mean
  mean = mean + delta / n
  m2 = m2 + delta * (amount - mean)
  if n > 1 and score >= last then
    local gap = score - last
    gn = gn + 1
    local gd = gap - gmean
    gmean = gmean + gd / gn
    gm2 = gm2 + gd * (gap - gmean)
  end
  if score > last then last = score end
  if score < first then first = score end
  local bucket = math.floor(score / peakWindow)
  local wstart = tonumber(v[9] or tostring(bucket))
  local wcount = tonumber(v[10] or '0')
  local wpeak = tonumber(v[11] or '0')
  if bucket == wstart then
    wcount = wcount + 1
  elseif bucket > wstart then
    if wcount > wpeak then wpeak = wcount end
    wstart = bucket
    wcount = 1
  end
  redis.call('HSET', stats, prefix .. 'n', n, prefix .. 'mean', tostring(mean), prefix .. 'm2', tostring(m2),
    prefix .. 'gn', gn, prefix .. 'gmean', tostring(gmean), prefix .. 'gm2', tostring(gm2),
    prefix .. 'first', tostring(first), prefix .. 'last', tostring(last), prefix .. 'wstart', wstart,
    prefix .. 'wcount', wcount, prefix .. 'wpeak', wpeak)
  redis.call('EXPIRE', stats, ARGV[13])
  return 1
end
local added_in = side(KEYS[1], KEYS[4], ARGV[1], 'in', ARGV[10], tonumber(ARGV[14]))
local added_out = side(KEYS[2], KEYS[5], ARGV[2], 'out', ARGV[11], tonumber(ARGV[15]))
if added_in == 1 then
  redis.call('ZADD', KEYS[3], 'LT', score, ARGV[6])
  local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[7])
  if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[3], -extra, -1) end
  redis.call('EXPIRE', KEYS[3], ARGV[8])
end
return {added_in, added_out}
`;

const SEPARATOR = '\u001f';

/** Fixed positions: transferId, counterparty key, amount, currency, scale, balance or "", counterparty ref. */
const encodeLeg = (
  transferId: string,
  counterpartyKey: string,
  amountMinor: string,
  currency: string,
  scale: number,
  balanceAfterMinor: string | undefined,
  counterparty: CounterpartyRecord | undefined,
): string =>
  [
    transferId,
    counterpartyKey,
    amountMinor,
    currency,
    String(scale),
    balanceAfterMinor ?? '',
    ...(counterparty ? [counterparty.institutionId, counterparty.accountId, counterparty.country] : []),
  ].join(SEPARATOR);

const decodeLeg = (member: string, score: string): FlowLegRecord => {
  const [
    transferId = '',
    counterpartyKey = '',
    amountMinor = '0',
    currency = '',
    scale = '0',
    balance,
    institutionId,
    accountId,
    country,
  ] = member.split(SEPARATOR);
  return {
    transferId,
    counterpartyKey,
    amountMinor: BigInt(amountMinor),
    currency,
    scale: Number(scale),
    atMs: Number(score),
    ...(balance ? { balanceAfterMinor: BigInt(balance) } : {}),
    ...(institutionId && accountId && country ? { counterparty: { institutionId, accountId, country } } : {}),
  };
};

const pairs = (flat: readonly string[]): FlowLegRecord[] => {
  const flows: FlowLegRecord[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) flows.push(decodeLeg(flat[i] ?? '', flat[i + 1] ?? '0'));
  return flows;
};

/** "in|THB/2|" : the hash-field prefix of one side's moments in one asset. */
const statsPrefix = (side: 'in' | 'out', currency: string, scale: number): string =>
  `${side}|${currency}/${scale}|`;

/** Parses the stats hash (fields "<side>|<currency>/<scale>|<moment>") into per side-and-asset moments. */
const parseStats = (hash: Record<string, string>) => {
  const stats = new Map<string, SideStatsRecord>();
  const groups = new Map<string, Map<string, number>>();
  for (const [field, value] of Object.entries(hash)) {
    const parts = field.split('|');
    if (parts.length !== 3) continue;
    const [side = '', asset = '', moment = ''] = parts;
    const key = `${side}|${asset}`;
    const group = groups.get(key) ?? new Map<string, number>();
    group.set(moment, Number(value));
    groups.set(key, group);
  }
  for (const [key, m] of groups) {
    const asset = key.split('|')[1] ?? '';
    const slash = asset.lastIndexOf('/');
    const n = m.get('n') ?? 0;
    const gn = m.get('gn') ?? 0;
    stats.set(key, {
      currency: asset.slice(0, slash),
      scale: Number(asset.slice(slash + 1)),
      count: n,
      amountMean: m.get('mean') ?? 0,
      amountVariance: n > 0 ? Math.max(0, (m.get('m2') ?? 0) / n) : 0,
      gapCount: gn,
      gapMeanMs: m.get('gmean') ?? 0,
      gapVarianceMs2: gn > 0 ? Math.max(0, (m.get('gm2') ?? 0) / gn) : 0,
      firstAtMs: m.get('first') ?? 0,
      lastAtMs: m.get('last') ?? 0,
      previousPeakPerWindow: m.get('wpeak') ?? 0,
    });
  }
  return {
    stats,
    cappedLegs: { in: Number(hash['capped|in'] ?? 0), out: Number(hash['capped|out'] ?? 0) },
  };
};

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordFlow(
      inflowKey: string,
      outflowKey: string,
      sendersKey: string,
      creditorStatsKey: string,
      debtorStatsKey: string,
      inflowMember: string,
      outflowMember: string,
      score: number,
      retentionMs: number,
      flowTtl: number,
      senderKey: string,
      maxKnownSenders: number,
      sendersTtl: number,
      maxLegs: number,
      inStatsPrefix: string,
      outStatsPrefix: string,
      amountMinor: string,
      statsTtl: number,
      creditorPeakWindowMs: number,
      debtorPeakWindowMs: number,
    ): Result<[number, number], Context>;
  }
}

/**
 * Rolling per-account inflows, outflows and running moments in Redis, each leg recorded exactly once. Memory is
 * bounded per account: two sorted sets of at most `maxLegsPerAccountSide` legs inside the retention, one
 * sender set of at most `maxKnownSenders`, one stats hash of 8 numbers per side and asset. There is no
 * per-transfer key: a replay is recognised by its leg still being in the set (see RECORD_FLOW_LUA).
 */
@Injectable()
export class AccountFlowRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    // Re-defining is harmless; ioredis caches the script's SHA and falls back to EVAL once per connection.
    this.redis.defineCommand('recordFlow', { numberOfKeys: 5, lua: RECORD_FLOW_LUA });
  }

  /** Records a batch; returns the transfers with a new leg, and how many legs were refused as too late. */
  async record(flows: readonly FlowToRecord[], options: RecordFlowOptions): Promise<RecordOutcome> {
    // Idle accounts' legs must outlive the longest window (a daily-batch week) whatever the wall clock says.
    const flowTtl = Math.max(
      REDIS_TTL_SECONDS.accountFlows,
      Math.ceil(options.retentionMs / 1000) + REDIS_TTL_SECONDS.accountFlows,
    );
    const pipeline = this.redis.pipeline();
    for (const f of flows) {
      pipeline.recordFlow(
        redisKeys.accountInflows(f.creditorKey),
        redisKeys.accountOutflows(f.debtorKey),
        redisKeys.accountSenders(f.creditorKey),
        redisKeys.accountFlowStats(f.creditorKey),
        redisKeys.accountFlowStats(f.debtorKey),
        encodeLeg(f.transferId, f.debtorKey, f.amountMinor, f.currency, f.scale, undefined, f.debtor),
        encodeLeg(
          f.transferId,
          f.creditorKey,
          f.amountMinor,
          f.currency,
          f.scale,
          f.debtorBalanceAfterMinor,
          f.creditor,
        ),
        f.atMs,
        options.retentionMs,
        flowTtl,
        f.debtorKey,
        options.maxKnownSenders,
        REDIS_TTL_SECONDS.accountSenders,
        options.maxLegsPerAccountSide,
        statsPrefix('in', f.currency, f.scale),
        statsPrefix('out', f.currency, f.scale),
        f.amountMinor,
        REDIS_TTL_SECONDS.accountFlowStats,
        f.creditorPeakWindowMs,
        f.debtorPeakWindowMs,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const fresh = new Set<string>();
    let tooLate = 0;
    results.forEach(([error, reply], index) => {
      if (error) throw error;
      const flow = flows[index];
      const [addedIn, addedOut] = reply as [number, number];
      if (flow && (addedIn === 1 || addedOut === 1)) fresh.add(flow.transferId);
      tooLate += (addedIn === -1 ? 1 : 0) + (addedOut === -1 ? 1 : 0);
    });
    return { fresh, tooLate };
  }

  /**
   * How many legs (inflows and outflows, every asset) each account's sides hold now: a cheap count (two ZCARDs)
   * that bounds from above what `read` returns, so accounts too quiet for any detector are not read.
   */
  async countLegs(accountKeys: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (accountKeys.length === 0) return counts;
    const pipeline = this.redis.pipeline();
    for (const key of accountKeys) {
      pipeline.zcard(redisKeys.accountInflows(key));
      pipeline.zcard(redisKeys.accountOutflows(key));
    }
    const results = (await pipeline.exec()) ?? [];
    accountKeys.forEach((key, i) => {
      let total = 0;
      for (const [error, value] of [results[2 * i] ?? [null, 0], results[2 * i + 1] ?? [null, 0]]) {
        if (error) throw error;
        total += Number(value ?? 0);
      }
      counts.set(key, total);
    });
    return counts;
  }

  /** Legs of each account at or after `sinceMs`, the senders first seen since then, and running moments. */
  async read(accountKeys: readonly string[], sinceMs: number): Promise<Map<string, AccountFlowRecord>> {
    const pipeline = this.redis.pipeline();
    for (const key of accountKeys) {
      pipeline.zrangebyscore(redisKeys.accountInflows(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.zrangebyscore(redisKeys.accountOutflows(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.zrangebyscore(redisKeys.accountSenders(key), sinceMs, '+inf', 'WITHSCORES');
      pipeline.hgetall(redisKeys.accountFlowStats(key));
    }
    const results = (await pipeline.exec()) ?? [];
    const reply = <T>(index: number, empty: T): T => {
      const [error, value] = results[index] ?? [null, empty];
      if (error) throw error;
      return (value ?? empty) as T;
    };
    const flows = new Map<string, AccountFlowRecord>();
    accountKeys.forEach((key, i) => {
      const senders = reply<string[]>(4 * i + 2, []);
      const senderFirstSeenMs = new Map<string, number>();
      for (let j = 0; j + 1 < senders.length; j += 2) {
        senderFirstSeenMs.set(senders[j] ?? '', Number(senders[j + 1]));
      }
      const { stats, cappedLegs } = parseStats(reply<Record<string, string>>(4 * i + 3, {}));
      flows.set(key, {
        inflows: pairs(reply<string[]>(4 * i, [])),
        outflows: pairs(reply<string[]>(4 * i + 1, [])),
        senderFirstSeenMs,
        stats,
        cappedLegs,
      });
    });
    return flows;
  }
}
