import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** One end of a transfer as the adjacency keeps it (enough to name the account in an alert). */
export interface AdjacencyEnd {
  readonly accountKey: string;
  readonly country: string;
  /** Account kind (`bank-account`, `vasp-account`, `wallet`); empty when the feed did not say. */
  readonly kind: string;
}

/** A transfer on the network detector's temporal adjacency: both ends, event time, amounts. */
export interface AdjacencyEdge {
  readonly transferId: string;
  readonly from: AdjacencyEnd;
  readonly to: AdjacencyEnd;
  readonly atMs: number;
  /** Integer minor units, as a decimal string. */
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
  /** In the reference currency's minor units; absent when the transfer carried no rate. */
  readonly refAmountMinor?: string;
}

export interface RecordAdjacencyOptions {
  /** Edges older than this before the account's latest event are trimmed (widest window + allowed lateness). */
  readonly retentionMs: number;
  /** At most this many edges per account and direction are kept (the newest). */
  readonly maxEdgesPerAccount: number;
}

/** One account's edges of one time range; a direction with more edges than the read limit is a hub. */
export interface AccountAdjacencyRead {
  readonly inbound: AdjacencyEdge[];
  readonly outbound: AdjacencyEdge[];
  /** Edges in the range, read or not: above the limit the direction's edges are not returned (hub summary). */
  readonly inboundCount: number;
  readonly outboundCount: number;
}

export interface AdjacencyReadRequest {
  readonly accountKey: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * One account, one direction, atomically: add the edge (a replay adds the same member: nothing changes), trim
 * what is older than the retention before the account's latest event, keep the newest `cap` edges, refresh the
 * TTL. Returns 1 when the edge was new. One key per call, so it runs on Redis Cluster (the two ends of a
 * transfer live in different slots).
 */
const RECORD_EDGE_LUA = `
local added = redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (tonumber(latest) - tonumber(ARGV[3])))
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return added
`;

const SEPARATOR = '\u001f';

const encodeEdge = (e: AdjacencyEdge): string =>
  [
    e.transferId,
    e.from.accountKey,
    e.from.country,
    e.from.kind,
    e.to.accountKey,
    e.to.country,
    e.to.kind,
    e.amountMinor,
    e.currency,
    String(e.scale),
    e.refAmountMinor ?? '',
  ].join(SEPARATOR);

const decodeEdge = (member: string, score: string): AdjacencyEdge => {
  const [
    transferId = '',
    fromKey = '',
    fromCountry = '',
    fromKind = '',
    toKey = '',
    toCountry = '',
    toKind = '',
    amountMinor = '0',
    currency = '',
    scale = '0',
    refAmountMinor = '',
  ] = member.split(SEPARATOR);
  return {
    transferId,
    from: { accountKey: fromKey, country: fromCountry, kind: fromKind },
    to: { accountKey: toKey, country: toCountry, kind: toKind },
    atMs: Number(score),
    amountMinor,
    currency,
    scale: Number(scale),
    ...(refAmountMinor ? { refAmountMinor } : {}),
  };
};

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordAdjacencyEdge(
      key: string,
      score: number,
      member: string,
      retentionMs: number,
      cap: number,
      ttlSeconds: number,
    ): Result<number, Context>;
  }
}

/**
 * The network detector's windowed temporal adjacency: per account, the transfers in and out scored by event
 * time, so patterns that cross accounts (chains, cycles, scatter-gather, bipartite layering) are searched hop by
 * hop with one pipelined read per hop, by any instance, without the graph database. Keys are per account, so
 * Redis Cluster shards them.
 */
@Injectable()
export class TemporalAdjacencyRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('recordAdjacencyEdge', { numberOfKeys: 1, lua: RECORD_EDGE_LUA });
  }

  /** Adds each transfer to its debtor's outbound and its creditor's inbound edges; returns the new ids. */
  async record(edges: readonly AdjacencyEdge[], options: RecordAdjacencyOptions): Promise<Set<string>> {
    if (edges.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const edge of edges) {
      const member = encodeEdge(edge);
      for (const key of [
        redisKeys.adjacencyOut(edge.from.accountKey),
        redisKeys.adjacencyIn(edge.to.accountKey),
      ]) {
        pipeline.recordAdjacencyEdge(
          key,
          edge.atMs,
          member,
          options.retentionMs,
          options.maxEdgesPerAccount,
          REDIS_TTL_SECONDS.temporalAdjacency,
        );
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const fresh = new Set<string>();
    results.forEach(([error, added], index) => {
      if (error) throw error;
      const edge = edges[Math.floor(index / 2)];
      if (added === 1 && edge) fresh.add(edge.transferId);
    });
    return fresh;
  }

  /**
   * Each account's edges with event time in its range, both directions, in one pipelined round trip. A
   * direction holding more than `limit` edges in the range returns its count only: a hub is summarised, never
   * read whole.
   */
  async read(
    requests: readonly AdjacencyReadRequest[],
    limit: number,
  ): Promise<Map<string, AccountAdjacencyRead>> {
    const found = new Map<string, AccountAdjacencyRead>();
    if (requests.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const { accountKey, fromMs, toMs } of requests) {
      for (const key of [redisKeys.adjacencyIn(accountKey), redisKeys.adjacencyOut(accountKey)]) {
        pipeline.zrangebyscore(key, fromMs, toMs, 'WITHSCORES', 'LIMIT', 0, limit + 1);
        pipeline.zcount(key, fromMs, toMs);
      }
    }
    const results = (await pipeline.exec()) ?? [];
    const reply = (index: number): unknown => {
      const [error, value] = results[index] ?? [null, null];
      if (error) throw error;
      return value;
    };
    const edgesOf = (index: number): { edges: AdjacencyEdge[]; count: number } => {
      const flat = reply(index) as string[];
      const count = Number(reply(index + 1));
      if (flat.length / 2 > limit) return { edges: [], count };
      const edges: AdjacencyEdge[] = [];
      for (let j = 0; j + 1 < flat.length; j += 2) edges.push(decodeEdge(flat[j] ?? '', flat[j + 1] ?? '0'));
      return { edges, count };
    };
    requests.forEach(({ accountKey }, i) => {
      const inbound = edgesOf(4 * i);
      const outbound = edgesOf(4 * i + 2);
      found.set(accountKey, {
        inbound: inbound.edges,
        outbound: outbound.edges,
        inboundCount: inbound.count,
        outboundCount: outbound.count,
      });
    });
    return found;
  }
}
