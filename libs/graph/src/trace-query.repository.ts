import { Inject, Injectable } from '@nestjs/common';
import neo4j, { DateTime, type Driver, type Integer } from 'neo4j-driver';
import type { MinorMoney } from '@scamflow/contracts';
import { numberOf } from './neo4j-values';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { readStatement } from './read-statement';
import { TRACE_BACKWARD_HOP, TRACE_FORWARD_HOP, TRACE_START_ACCOUNT } from './trace.cypher';

export const TRACE_DIRECTIONS = ['backward', 'forward'] as const;
export type TraceDirection = (typeof TRACE_DIRECTIONS)[number];

/** Hard ceilings whatever a caller asks: a trace is a bounded number of reads of bounded work. */
export const TRACE_CEILINGS = {
  maxHops: 10,
  fanOut: 100,
  maxAccountsPerHop: 1_000,
  maxTransfers: 10_000,
} as const;

/** Defaults sized so a 6-hop trace on a million-transfer graph stays interactive (see the API benchmark). */
export const TRACE_DEFAULTS = {
  fanOut: 10,
  maxAccountsPerHop: 200,
  maxTransfers: 2_000,
  hubDegree: 2_000,
} as const;

export interface TraceRequest {
  readonly accountKey: string;
  /** `backward`: where the account's money came from; `forward`: where it went. */
  readonly direction: TraceDirection;
  /** Hops to follow (1..10). */
  readonly maxHops: number;
  /** Transfers followed per account and hop, the largest first (default 10). */
  readonly fanOut?: number;
  /** Accounts expanded per hop at most (default 200), those reached closest in time first. */
  readonly maxAccountsPerHop?: number;
  /** Transfers returned at most over the whole trace (default 2,000). */
  readonly maxTransfers?: number;
  /** Accounts with more transfers than this in the traced direction are reached but not expanded (hubs). */
  readonly hubDegree?: number;
  /** ISO time bounding the first hop: forward, transfers from it on; backward, transfers up to it. */
  readonly startAt?: string;
  /** ISO time bounding every hop at the other end: forward, transfers up to it; backward, from it on. */
  readonly windowLimit?: string;
  /** Transfers in this currency below this amount are not followed. */
  readonly minAmount?: MinorMoney;
}

export interface TraceHop {
  /** 1 for the start account's own transfers. */
  readonly depth: number;
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly bookedAt: string;
  readonly amount: MinorMoney;
}

export interface TracedAccount {
  readonly accountKey: string;
  readonly institutionId: string | null;
  readonly country: string | null;
  readonly kind: string | null;
  /** Hop at which the account was first reached (0 for the start account). */
  readonly depth: number;
}

/** Where a bound stopped the trace, so an investigator knows what was not followed. */
export type TraceCut =
  | {
      readonly kind: 'fan-out';
      readonly accountKey: string;
      readonly depth: number;
      readonly followed: number;
    }
  | { readonly kind: 'hub'; readonly accountKey: string; readonly depth: number; readonly degree: number }
  | {
      readonly kind: 'accounts-per-hop';
      readonly depth: number;
      readonly expanded: number;
      readonly reached: number;
    }
  | { readonly kind: 'max-transfers'; readonly depth: number; readonly returned: number };

export interface TraceResult {
  readonly start: TracedAccount | undefined;
  readonly direction: TraceDirection;
  /** Ordered by depth, then booking time, then transfer id. */
  readonly hops: readonly TraceHop[];
  readonly accounts: readonly TracedAccount[];
  /** True when any bound cut the trace: more paths may exist than were followed. */
  readonly truncated: boolean;
  readonly cuts: readonly TraceCut[];
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const clamp = (value: number | undefined, fallback: number, ceiling: number): number =>
  Math.min(ceiling, Math.max(1, Math.floor(value ?? fallback)));
const timeOf = (iso: string | undefined) =>
  iso === undefined ? null : DateTime.fromStandardDate(new Date(iso));

/** One move of a hop: the account reached and the transfer that reached it (see trace.cypher.ts). */
type Move = [
  accountKey: string,
  institutionId: unknown,
  country: unknown,
  kind: unknown,
  transferId: string,
  bookedAtMs: unknown,
  amountMinor: unknown,
  currency: string,
  scale: unknown,
];

/**
 * Size budget of one hop request (statement + parameters): a frontier larger than this is sent as several
 * requests, one round trip each. It was 1,300 bytes (one TCP segment) while the driver's sockets had Nagle on,
 * when a longer request waited for the server's delayed ACK (40 ms on Linux). Every driver the product builds
 * (`createNeo4jDriver` in neo4j.module.ts) now connects with TCP_NODELAY (tcp-no-delay.ts), so a hop is one
 * request up to one Bolt chunk (64 KiB: the default 200-account frontier is about 11 KiB), not a round trip per
 * ~20 accounts.
 */
export const TRACE_MESSAGE_BUDGET_BYTES = 65_535;

type FrontierEntry = [accountKey: string, epochMillis: Integer | null];

/** Splits the frontier so statement + parameters stay within the budget (at least one entry per batch). */
export const frontierBatches = (
  entries: readonly FrontierEntry[],
  statementBytes: number,
  budget = TRACE_MESSAGE_BUDGET_BYTES,
): FrontierEntry[][] => {
  // Fixed parameters and Bolt framing (RUN + PULL, map keys, small values) take about 120 bytes.
  const room = Math.max(0, budget - statementBytes - 120);
  const batches: FrontierEntry[][] = [];
  let current: FrontierEntry[] = [];
  let used = 0;
  for (const entry of entries) {
    // Key (string header + UTF-8) + a 9-byte integer + list header.
    const size = Buffer.byteLength(entry[0]) + 14;
    if (current.length > 0 && used + size > room) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(entry);
    used += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

type Bounds = Required<
  Pick<TraceRequest, 'maxHops' | 'fanOut' | 'maxAccountsPerHop' | 'maxTransfers' | 'hubDegree'>
>;

/**
 * Investigator traces over the money-flow graph: bounded, time-respecting breadth-first expansion, one
 * auto-commit read statement per hop (one round trip each; a cluster's secondaries may serve them). Neo4j reads
 * are read-committed whether or not they share a transaction, so a managed transaction around the hops gave no
 * snapshot, only a BEGIN and a COMMIT more; a transfer committed while a trace runs may or may not be seen by
 * its later hops, as before.
 * An account is expanded again only when a later hop reaches it with a less restrictive time bound
 * (earlier forward, later backward), so cycles end. Every bound that cut the trace is reported.
 */
@Injectable()
export class TraceQueryRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  async trace(request: TraceRequest): Promise<TraceResult> {
    const bounds: Bounds = {
      maxHops: clamp(request.maxHops, 6, TRACE_CEILINGS.maxHops),
      fanOut: clamp(request.fanOut, TRACE_DEFAULTS.fanOut, TRACE_CEILINGS.fanOut),
      maxAccountsPerHop: clamp(
        request.maxAccountsPerHop,
        TRACE_DEFAULTS.maxAccountsPerHop,
        TRACE_CEILINGS.maxAccountsPerHop,
      ),
      maxTransfers: clamp(request.maxTransfers, TRACE_DEFAULTS.maxTransfers, TRACE_CEILINGS.maxTransfers),
      hubDegree: clamp(request.hubDegree, TRACE_DEFAULTS.hubDegree, Number.MAX_SAFE_INTEGER),
    };
    return this.expand(request, bounds);
  }

  private async expand(request: TraceRequest, bounds: Bounds): Promise<TraceResult> {
    const { direction } = request;
    const read = (query: string, params: Record<string, unknown>) =>
      readStatement(this.driver, this.database, query, params);
    const startRecord = (await read(TRACE_START_ACCOUNT, { accountKey: request.accountKey }))[0];
    if (!startRecord)
      return { start: undefined, direction, hops: [], accounts: [], truncated: false, cuts: [] };
    const start: TracedAccount = {
      accountKey: request.accountKey,
      institutionId: stringOrNull(startRecord.get('institutionId')),
      country: stringOrNull(startRecord.get('country')),
      kind: stringOrNull(startRecord.get('kind')),
      depth: 0,
    };
    const forward = direction === 'forward';
    const startBound = timeOf(request.startAt);
    const windowLimit = timeOf(request.windowLimit);
    // Least restrictive bound seen per account, in epoch ms (null: unbounded).
    const best = new Map<string, number | null>([
      [start.accountKey, startBound === null ? null : startBound.toStandardDate().getTime()],
    ]);
    const looser = (candidate: number, current: number | null | undefined): boolean =>
      current === undefined || (current !== null && (forward ? candidate < current : candidate > current));

    const accounts = new Map<string, TracedAccount>([[start.accountKey, start]]);
    const hops = new Map<string, TraceHop>();
    const cuts: TraceCut[] = [];
    let frontier: FrontierEntry[] = [
      [start.accountKey, startBound === null ? null : neo4j.int(startBound.toStandardDate().getTime())],
    ];
    const query = forward ? TRACE_FORWARD_HOP : TRACE_BACKWARD_HOP;
    const params = {
      n: neo4j.int(bounds.fanOut + 1),
      h: neo4j.int(bounds.hubDegree),
      w: windowLimit,
      c: request.minAmount?.currency ?? null,
      m: request.minAmount === undefined ? null : BigInt(request.minAmount.amountMinor).toString(),
    };
    const statementBytes = Buffer.byteLength(query);

    for (let depth = 1; depth <= bounds.maxHops && frontier.length > 0; depth += 1) {
      const records = [];
      for (const batch of frontierBatches(frontier, statementBytes)) {
        records.push(...(await read(query, { ...params, f: batch })));
      }
      // Per account reached, the least restrictive time bound of the moves into it (epoch ms).
      const next = new Map<string, number>();
      for (const record of records) {
        const accountKey = record.get('k') as string;
        const degree = numberOf(record.get('d'));
        if (degree > bounds.hubDegree) {
          cuts.push({ kind: 'hub', accountKey, depth, degree });
          continue;
        }
        const moves = record.get('m') as Move[];
        if (moves.length > bounds.fanOut)
          cuts.push({ kind: 'fan-out', accountKey, depth, followed: bounds.fanOut });
        for (const [
          reached,
          institutionId,
          country,
          kind,
          transferId,
          bookedAtMs,
          amountMinor,
          currency,
          scale,
        ] of moves.slice(0, bounds.fanOut)) {
          if (bookedAtMs === null || bookedAtMs === undefined) continue;
          const ms = numberOf(bookedAtMs);
          if (!hops.has(transferId)) {
            if (hops.size >= bounds.maxTransfers) {
              if (!cuts.some((c) => c.kind === 'max-transfers')) {
                cuts.push({ kind: 'max-transfers', depth, returned: hops.size });
              }
              continue;
            }
            hops.set(transferId, {
              depth,
              transferId,
              fromKey: forward ? accountKey : reached,
              toKey: forward ? reached : accountKey,
              bookedAt: new Date(ms).toISOString(),
              amount: { amountMinor: String(amountMinor), currency, scale: numberOf(scale) },
            });
          }
          if (!accounts.has(reached)) {
            accounts.set(reached, {
              accountKey: reached,
              institutionId: stringOrNull(institutionId),
              country: stringOrNull(country),
              kind: stringOrNull(kind),
              depth,
            });
          }
          const pending = next.get(reached);
          if (looser(ms, best.get(reached)) && (pending === undefined || looser(ms, pending))) {
            next.set(reached, ms);
          }
        }
      }
      // The accounts whose money is closest in time to the start are followed first.
      const ordered = [...next].sort(([ka, a], [kb, b]) => {
        const diff = a - b;
        return (forward ? diff : -diff) || ka.localeCompare(kb);
      });
      if (ordered.length > bounds.maxAccountsPerHop && depth < bounds.maxHops) {
        cuts.push({
          kind: 'accounts-per-hop',
          depth,
          expanded: bounds.maxAccountsPerHop,
          reached: ordered.length,
        });
      }
      if (hops.size >= bounds.maxTransfers) {
        const more = ordered.length > 0 && depth < bounds.maxHops;
        if (more && !cuts.some((c) => c.kind === 'max-transfers')) {
          cuts.push({ kind: 'max-transfers', depth, returned: hops.size });
        }
        break;
      }
      frontier = ordered.slice(0, bounds.maxAccountsPerHop).map(([accountKey, ms]): FrontierEntry => {
        best.set(accountKey, ms);
        return [accountKey, neo4j.int(ms)];
      });
    }
    const ordered = [...hops.values()].sort(
      (a, b) =>
        a.depth - b.depth || a.bookedAt.localeCompare(b.bookedAt) || a.transferId.localeCompare(b.transferId),
    );
    return {
      start,
      direction,
      hops: ordered,
      accounts: [...accounts.values()],
      truncated: cuts.length > 0,
      cuts,
    };
  }
}
