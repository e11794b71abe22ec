import { Inject, Injectable } from '@nestjs/common';
import neo4j, {
  DateTime,
  isDateTime,
  isInt,
  type Driver,
  type ManagedTransaction,
  type Integer,
} from 'neo4j-driver';
import type { MinorMoney } from '@scamflow/contracts';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { TRACE_BACKWARD_HOP, TRACE_FORWARD_HOP, TRACE_START_ACCOUNT } from './trace.cypher';

export const TRACE_DIRECTIONS = ['backward', 'forward'] as const;
export type TraceDirection = (typeof TRACE_DIRECTIONS)[number];

export interface TraceRequest {
  readonly accountKey: string;
  /** `backward`: where the account's money came from; `forward`: where it went. */
  readonly direction: TraceDirection;
  /** Hops to follow (1..10). */
  readonly maxHops: number;
  /** Transfers followed per account and hop, closest in time to the hop before (default 25). */
  readonly fanOut?: number;
  /** Accounts expanded per hop at most (default 500); the rest are reported as truncated. */
  readonly maxAccountsPerHop?: number;
  /** ISO time bounding the first hop: forward, transfers from it on; backward, transfers up to it. */
  readonly startAt?: string;
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
  /** Hop at which the account was first reached (0 for the start account). */
  readonly depth: number;
}

export interface TraceResult {
  readonly start: TracedAccount | undefined;
  readonly direction: TraceDirection;
  readonly hops: readonly TraceHop[];
  readonly accounts: readonly TracedAccount[];
  /** True when a fan-out or per-hop limit was reached: more paths may exist than were followed. */
  readonly truncated: boolean;
}

const MAX_HOPS = 10;

const numberOf = (value: unknown): number => (isInt(value) ? value.toNumber() : Number(value));
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

interface FrontierEntry {
  readonly accountKey: string;
  readonly bound: DateTime<Integer | number> | null;
}

/**
 * Investigator traces over the money-flow graph: bounded, time-respecting breadth-first expansion, one
 * query per hop inside one read transaction (a consistent snapshot). An account is expanded again only when
 * a later hop reaches it with a less restrictive time bound (earlier forward, later backward), so cycles end.
 */
@Injectable()
export class TraceQueryRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  async trace(request: TraceRequest): Promise<TraceResult> {
    const maxHops = Math.min(MAX_HOPS, Math.max(1, Math.floor(request.maxHops)));
    const fanOut = Math.max(1, Math.floor(request.fanOut ?? 25));
    const maxAccountsPerHop = Math.max(1, Math.floor(request.maxAccountsPerHop ?? 500));
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) =>
        this.expand(tx, { ...request, maxHops, fanOut, maxAccountsPerHop }),
      );
    } finally {
      await session.close();
    }
  }

  private async expand(
    tx: ManagedTransaction,
    request: TraceRequest & { maxHops: number; fanOut: number; maxAccountsPerHop: number },
  ): Promise<TraceResult> {
    const { direction } = request;
    const startRecords = (await tx.run(TRACE_START_ACCOUNT, { accountKey: request.accountKey })).records;
    const startRecord = startRecords[0];
    if (!startRecord) return { start: undefined, direction, hops: [], accounts: [], truncated: false };
    const start: TracedAccount = {
      accountKey: request.accountKey,
      institutionId: stringOrNull(startRecord.get('institutionId')),
      country: stringOrNull(startRecord.get('country')),
      depth: 0,
    };
    const startBound =
      request.startAt === undefined ? null : DateTime.fromStandardDate(new Date(request.startAt));
    // Least restrictive bound seen per account, in epoch ms (null: unbounded).
    const best = new Map<string, number | null>([
      [start.accountKey, startBound === null ? null : startBound.toStandardDate().getTime()],
    ]);
    const looser = (candidate: number, current: number | null | undefined): boolean =>
      current === undefined ||
      (current !== null && (direction === 'forward' ? candidate < current : candidate > current));

    const accounts = new Map<string, TracedAccount>([[start.accountKey, start]]);
    const hops = new Map<string, TraceHop>();
    let truncated = false;
    let frontier: FrontierEntry[] = [{ accountKey: start.accountKey, bound: startBound }];
    const query = direction === 'forward' ? TRACE_FORWARD_HOP : TRACE_BACKWARD_HOP;

    for (let depth = 1; depth <= request.maxHops && frontier.length > 0; depth += 1) {
      const { records } = await tx.run(query, { frontier, fanOut: neo4j.int(request.fanOut) });
      const next = new Map<string, DateTime<Integer | number>>();
      const perAccount = new Map<string, number>();
      for (const record of records) {
        const bookedAt: unknown = record.get('bookedAt');
        if (!isDateTime(bookedAt)) continue;
        const at = bookedAt;
        const fromFrontier = record.get('fromFrontier') as string;
        perAccount.set(fromFrontier, (perAccount.get(fromFrontier) ?? 0) + 1);
        const transferId = record.get('transferId') as string;
        if (!hops.has(transferId)) {
          hops.set(transferId, {
            depth,
            transferId,
            fromKey: record.get('fromKey') as string,
            toKey: record.get('toKey') as string,
            bookedAt: at.toStandardDate().toISOString(),
            amount: {
              amountMinor: String(record.get('amountMinor')),
              currency: record.get('currency') as string,
              scale: numberOf(record.get('scale')),
            },
          });
        }
        const reached = record.get('reached') as string;
        if (!accounts.has(reached)) {
          accounts.set(reached, {
            accountKey: reached,
            institutionId: stringOrNull(record.get('institutionId')),
            country: stringOrNull(record.get('country')),
            depth,
          });
        }
        const ms = at.toStandardDate().getTime();
        const pending = next.get(reached);
        const pendingMs = pending?.toStandardDate().getTime();
        if (looser(ms, best.get(reached)) && (pendingMs === undefined || looser(ms, pendingMs))) {
          next.set(reached, at);
        }
      }
      if ([...perAccount.values()].some((n) => n >= request.fanOut)) truncated = true;
      // The accounts whose money is closest in time to the start are followed first.
      const ordered = [...next].sort(([, a], [, b]) => {
        const diff = a.toStandardDate().getTime() - b.toStandardDate().getTime();
        return direction === 'forward' ? diff : -diff;
      });
      if (ordered.length > request.maxAccountsPerHop) truncated = true;
      frontier = ordered.slice(0, request.maxAccountsPerHop).map(([accountKey, bound]) => {
        best.set(accountKey, bound.toStandardDate().getTime());
        return { accountKey, bound };
      });
    }
    return { start, direction, hops: [...hops.values()], accounts: [...accounts.values()], truncated };
  }
}
