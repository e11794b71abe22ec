import { Inject, Injectable } from '@nestjs/common';
import neo4j, { isDateTime, type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import { AlertRaisedSchema, type AlertRaised, type MinorMoney } from '@scamflow/contracts';
import {
  ACCOUNT_PROFILE,
  ACCOUNT_RECENT_IN,
  ACCOUNT_RECENT_OUT,
  ACCOUNTS_BY_KEYS,
  CASE_REPORT,
  CASE_TRACING_ALERTS,
  LATEST_ALERT,
  RECENT_VICTIM_ACCOUNTS,
  TRANSFERS_BY_IDS,
} from './investigation.cypher';
import { numberOf } from './neo4j-values';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { readStatement } from './read-statement';
import {
  TraceQueryRepository,
  type TraceCut,
  type TraceHop,
  type TracedAccount,
} from './trace-query.repository';

/** Bounds of the profile's reads: totals over the latest transfers, identifiers and cases capped. */
export const PROFILE_BOUNDS = { recentTransfers: 5_000, identifiers: 100, cases: 100, alerts: 100 } as const;

export interface IdentifierSeenOnAccount {
  readonly type: string;
  /** `<type>:<value>` as the graph keys it; the API masks it for roles that may not see it. */
  readonly identifierKey: string;
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string | null;
  /** Other accounts that used the same identifier. */
  readonly sharedWith: number;
}

export interface FlowTotals {
  /** Per currency, exact, over the `scanned` latest transfers. */
  readonly perCurrency: readonly MinorMoney[];
  readonly transfers: number;
  readonly scanned: number;
}

export interface AccountProfileRecord {
  readonly accountKey: string;
  readonly accountId: string | null;
  readonly institutionId: string | null;
  readonly country: string | null;
  readonly kind: string | null;
  readonly accountType: string | null;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string | null;
  readonly holderId: string | null;
  readonly totalsIn: FlowTotals;
  readonly totalsOut: FlowTotals;
  readonly counterparties: { readonly count: number; readonly complete: boolean };
  readonly identifiers: readonly IdentifierSeenOnAccount[];
  readonly victimCaseIds: readonly string[];
  /** Alerts that involve the account, newest first. */
  readonly alerts: readonly AlertOnAccount[];
  /** Cases the account's alerts are about. */
  readonly alertCaseIds: readonly string[];
}

export interface AccountDetails {
  readonly accountKey: string;
  readonly accountId: string;
  readonly institutionId: string;
  readonly country: string;
  readonly kind?: 'bank-account' | 'vasp-account' | 'wallet' | undefined;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
}

export interface CaseReportRecord {
  readonly caseId: string;
  readonly version: number;
  readonly channel: string;
  readonly scamType: string;
  readonly reportedAt: string;
  readonly victims: readonly {
    accountKey: string;
    accountId: string;
    institutionId: string;
    country: string;
  }[];
  readonly reportedTransfers: readonly { transferId?: string; amount?: MinorMoney; paidAt?: string }[];
}

export interface AlertOnAccount {
  readonly alertId: string;
  readonly typology: string;
  readonly severity: string;
  /** Inbox lifecycle state (new, acknowledged, assigned, escalated, closed). */
  readonly state: string;
  readonly version: number;
  readonly raisedAt: string | null;
  /** The account's role in the alert. */
  readonly role: string | null;
  readonly institutions: readonly string[];
}

export interface CaseTracingAlert {
  readonly alert: AlertRaised;
  readonly state: string;
}

export interface PathsRequest {
  readonly fromKey: string;
  readonly toKey: string;
  readonly maxHops: number;
  /** ISO window: money leaving `fromKey` from `windowStart` on, every hop up to `windowEnd`. */
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly fanOut?: number;
}

export interface PathsResult {
  readonly from: TracedAccount | undefined;
  readonly to: TracedAccount | undefined;
  /** Transfers on at least one time-respecting path from `fromKey` to `toKey` within `maxHops`. */
  readonly hops: readonly TraceHop[];
  readonly accounts: readonly TracedAccount[];
  readonly cuts: readonly TraceCut[];
}

const isoOf = (value: unknown): string | null => {
  if (isDateTime(value)) return value.toStandardDate().toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  return null;
};
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
/** A stored alert JSON parsed with the contract (an unreadable one is skipped, never half-used). */
const parseAlert = (json: unknown): AlertRaised | undefined => {
  if (typeof json !== 'string') return undefined;
  try {
    const parsed = AlertRaisedSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};
const KINDS = new Set(['bank-account', 'vasp-account', 'wallet']);

/** One (side, currency, scale) group of the profile's server-side sums. */
interface FlowGroup {
  readonly side: 'in' | 'out';
  readonly currency: unknown;
  readonly scale: unknown;
  readonly scanned: unknown;
  readonly longest: unknown;
  /** Sums of the amounts' three 9-digit limbs (null when the side has no transfer in the group). */
  readonly low: Integer | null;
  readonly mid: Integer | null;
  readonly high: Integer | null;
  readonly firstAt: unknown;
  readonly lastAt: unknown;
}

interface FlowRow {
  readonly counterparty: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
  readonly bookedAt: string | null;
}

const byCurrencyThenScale = (
  a: { currency: string; scale: number },
  b: { currency: string; scale: number },
): number => a.currency.localeCompare(b.currency) || a.scale - b.scale;

const totalsOf = (rows: readonly FlowRow[], transfers: number): FlowTotals => {
  // Per currency and scale: minor units of one symbol at two scales (USDT 6 on TRON, 18 on BSC) never add up.
  const sums = new Map<string, { minor: bigint; currency: string; scale: number }>();
  for (const row of rows) {
    const key = `${row.currency}/${row.scale}`;
    const current = sums.get(key);
    sums.set(key, {
      minor: (current?.minor ?? 0n) + BigInt(row.amountMinor),
      currency: row.currency,
      scale: row.scale,
    });
  }
  return {
    perCurrency: [...sums.values()]
      .sort(byCurrencyThenScale)
      .map(({ minor, currency, scale }) => ({ amountMinor: minor.toString(), currency, scale })),
    transfers,
    scanned: rows.length,
  };
};

/**
 * Edges of `hops` that lie on a time-respecting path to `target` within `maxHops` of the start: the hops
 * left to the target are computed latest transfer first (a continuation must be booked no earlier).
 */
export const hopsOnPathsTo = (hops: readonly TraceHop[], target: string, maxHops: number): TraceHop[] => {
  const remaining = new Map<TraceHop, number>();
  const byTimeDesc = [...hops].sort((a, b) => b.bookedAt.localeCompare(a.bookedAt));
  const outOf = new Map<string, TraceHop[]>();
  for (const hop of byTimeDesc) {
    let best = hop.toKey === target ? 1 : Number.POSITIVE_INFINITY;
    for (const next of outOf.get(hop.toKey) ?? []) {
      if (next.bookedAt >= hop.bookedAt)
        best = Math.min(best, 1 + (remaining.get(next) ?? Number.POSITIVE_INFINITY));
    }
    remaining.set(hop, best);
    const list = outOf.get(hop.fromKey) ?? [];
    list.push(hop);
    outOf.set(hop.fromKey, list);
  }
  return hops.filter((hop) => hop.depth - 1 + (remaining.get(hop) ?? Number.POSITIVE_INFINITY) <= maxHops);
};

/**
 * Reads for investigators: account profiles, paths between accounts, cases and the details a filing needs.
 * Read transactions only (a cluster's secondaries can serve them), database named, parameters only, every
 * read bounded.
 */
@Injectable()
export class InvestigationRepository {
  private readonly traces: TraceQueryRepository;

  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {
    this.traces = new TraceQueryRepository(driver, database);
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work);
    } finally {
      await session.close();
    }
  }

  /** One read: the account, its totals and counterparties, identifiers, victim cases and alerts. */
  async accountProfile(accountKey: string): Promise<AccountProfileRecord | undefined> {
    const limit = neo4j.int(PROFILE_BOUNDS.recentTransfers);
    const records = await readStatement(this.driver, this.database, ACCOUNT_PROFILE, {
      accountKey,
      limit,
      identifierLimit: neo4j.int(PROFILE_BOUNDS.identifiers),
      caseLimit: neo4j.int(PROFILE_BOUNDS.cases),
      alertLimit: neo4j.int(PROFILE_BOUNDS.alerts),
    });
    const account = records[0];
    if (!account) return undefined;
    const flows = await this.flowsOf(account.get('flows') as FlowGroup[], accountKey);
    const transfersIn = numberOf(account.get('transfersIn'));
    const transfersOut = numberOf(account.get('transfersOut'));
    const latest = [flows.firstAt, flows.lastAt].filter((t): t is string => t !== null);
    const alertCaseIds = new Set<string>();
    const alerts = (account.get('alerts') as Record<string, unknown>[]).map((a) => {
      for (const caseId of a['caseIds'] as string[]) alertCaseIds.add(caseId);
      return {
        alertId: a['alertId'] as string,
        typology: String(a['typology']),
        severity: String(a['severity']),
        state: String(a['state']),
        version: numberOf(a['version']),
        raisedAt: isoOf(a['raisedAt']),
        role: stringOrNull(a['role']),
        institutions: a['institutions'] as string[],
      };
    });
    return {
      accountKey,
      accountId: stringOrNull(account.get('accountId')),
      institutionId: stringOrNull(account.get('institutionId')),
      country: stringOrNull(account.get('country')),
      kind: stringOrNull(account.get('kind')),
      accountType: stringOrNull(account.get('accountType')),
      openedAt: isoOf(account.get('openedAt')),
      closedAt: isoOf(account.get('closedAt')),
      // The node's firstSeenAt is the booking time of the transfer that created it, which may not be the earliest.
      firstSeenAt:
        [isoOf(account.get('firstSeenAt')), latest.find((t) => t !== '')].filter((t) => t).sort()[0] ?? null,
      lastSeenAt: latest.at(-1) || null,
      holderId: stringOrNull(account.get('holderId')),
      totalsIn: { perCurrency: flows.in.perCurrency, transfers: transfersIn, scanned: flows.in.scanned },
      totalsOut: { perCurrency: flows.out.perCurrency, transfers: transfersOut, scanned: flows.out.scanned },
      counterparties: {
        count: numberOf(account.get('counterparties')),
        complete: flows.in.scanned === transfersIn && flows.out.scanned === transfersOut,
      },
      identifiers: (account.get('identifiers') as Record<string, unknown>[]).map((i) => ({
        type: i['type'] as string,
        identifierKey: i['identifierKey'] as string,
        firstSeenAt: isoOf(i['firstSeenAt']),
        lastSeenAt: isoOf(i['lastSeenAt']),
        sharedWith: numberOf(i['sharedWith']),
      })),
      victimCaseIds: account.get('victimCaseIds') as string[],
      alerts,
      alertCaseIds: [...alertCaseIds].sort(),
    };
  }

  /**
   * Totals per side and currency from the profile's server-side sums; a side holding an amount too long for
   * them is summed here from its rows instead (one more read).
   */
  private async flowsOf(groups: readonly FlowGroup[], accountKey: string) {
    const limit = neo4j.int(PROFILE_BOUNDS.recentTransfers);
    const side = (name: 'in' | 'out') => groups.filter((g) => g.side === name);
    const times = groups.flatMap((g) => [isoOf(g.firstAt), isoOf(g.lastAt)]).filter((t) => t !== null);
    times.sort();
    const totals = async (name: 'in' | 'out'): Promise<Omit<FlowTotals, 'transfers'>> => {
      const rows = side(name);
      if (rows.some((g) => numberOf(g.longest) > 27)) {
        const records = await readStatement(
          this.driver,
          this.database,
          name === 'in' ? ACCOUNT_RECENT_IN : ACCOUNT_RECENT_OUT,
          { accountKey, limit },
        );
        return totalsOf(
          records.map((r) => ({
            counterparty: r.get('counterparty') as string,
            amountMinor: String(r.get('amountMinor')),
            currency: r.get('currency') as string,
            scale: numberOf(r.get('scale')),
            bookedAt: isoOf(r.get('bookedAt')),
          })),
          0,
        );
      }
      const limb = (value: Integer | null) => BigInt(value === null ? 0 : value.toString());
      return {
        perCurrency: rows
          .map((g) => ({
            amountMinor: (limb(g.high) * 10n ** 18n + limb(g.mid) * 10n ** 9n + limb(g.low)).toString(),
            currency: String(g.currency),
            scale: numberOf(g.scale),
          }))
          .sort(byCurrencyThenScale),
        scanned: rows.reduce((sum, g) => sum + numberOf(g.scanned), 0),
      };
    };
    return {
      in: await totals('in'),
      out: await totals('out'),
      firstAt: times[0] ?? null,
      lastAt: times.at(-1) ?? null,
    };
  }

  /** The latest version of an alert in the inbox. */
  async latestAlert(alertId: string): Promise<AlertRaised | undefined> {
    return this.read(async (tx) => {
      const record = (await tx.run(LATEST_ALERT, { alertId })).records[0];
      return record ? parseAlert(record.get('json')) : undefined;
    });
  }

  /** The alert whose `tracing` holds the case's holders: cross-border proceeds alerts first, then the newest. */
  async latestProceedsAlertOfCase(caseId: string): Promise<CaseTracingAlert | undefined> {
    return this.read(async (tx) => {
      const { records } = await tx.run(CASE_TRACING_ALERTS, { caseId, limit: neo4j.int(20) });
      for (const record of records) {
        const alert = parseAlert(record.get('json'));
        if (alert?.tracing?.victims.some((v) => v.caseId === caseId)) {
          return { alert, state: String(record.get('state')) };
        }
      }
      return undefined;
    });
  }

  /** Victim accounts of the latest reports that sent money on (starts for forward traces in benchmarks). */
  async recentVictimAccounts(limit: number): Promise<string[]> {
    return this.read(async (tx) =>
      (
        await tx.run(RECENT_VICTIM_ACCOUNTS, { limit: neo4j.int(Math.min(1_000, Math.max(1, limit))) })
      ).records.map((r) => r.get('accountKey') as string),
    );
  }

  async caseReport(caseId: string): Promise<CaseReportRecord | undefined> {
    return this.read(async (tx) => {
      const record = (await tx.run(CASE_REPORT, { caseId })).records[0];
      if (!record) return undefined;
      const transfers = JSON.parse(
        String(record.get('reportedTransfers') ?? '[]'),
      ) as CaseReportRecord['reportedTransfers'];
      return {
        caseId,
        version: numberOf(record.get('version')),
        channel: String(record.get('channel')),
        scamType: String(record.get('scamType')),
        reportedAt: isoOf(record.get('reportedAt')) ?? '',
        victims: (record.get('victims') as CaseReportRecord['victims'][number][]).filter((v) => v.accountKey),
        reportedTransfers: transfers,
      };
    });
  }

  async accountsByKeys(accountKeys: readonly string[]): Promise<AccountDetails[]> {
    if (accountKeys.length === 0) return [];
    return this.read(async (tx) =>
      (await tx.run(ACCOUNTS_BY_KEYS, { accountKeys: [...new Set(accountKeys)] })).records.map((r) => {
        const kind = stringOrNull(r.get('kind'));
        return {
          accountKey: r.get('accountKey') as string,
          accountId: stringOrNull(r.get('accountId')) ?? '',
          institutionId: stringOrNull(r.get('institutionId')) ?? 'unknown',
          country: stringOrNull(r.get('country')) ?? 'ZZ',
          kind: kind !== null && KINDS.has(kind) ? (kind as AccountDetails['kind']) : undefined,
          openedAt: isoOf(r.get('openedAt')),
          closedAt: isoOf(r.get('closedAt')),
        };
      }),
    );
  }

  async transfersByIds(
    transferIds: readonly string[],
  ): Promise<Map<string, { rail: 'bank' | 'vasp-ledger' | 'onchain' | undefined; txHash: string | null }>> {
    if (transferIds.length === 0) return new Map();
    return this.read(async (tx) => {
      const { records } = await tx.run(TRANSFERS_BY_IDS, { transferIds: [...new Set(transferIds)] });
      return new Map(
        records.map((r) => {
          const rail = stringOrNull(r.get('rail'));
          return [
            r.get('transferId') as string,
            {
              rail: rail === 'bank' || rail === 'vasp-ledger' || rail === 'onchain' ? rail : undefined,
              txHash: stringOrNull(r.get('txHash')),
            },
          ];
        }),
      );
    });
  }

  /**
   * Money paths from one account to another: a bounded forward trace from `fromKey` within the window,
   * kept to the transfers on a time-respecting path that ends at `toKey` within `maxHops`.
   */
  async paths(request: PathsRequest): Promise<PathsResult> {
    const trace = await this.traces.trace({
      accountKey: request.fromKey,
      direction: 'forward',
      maxHops: request.maxHops,
      fanOut: request.fanOut ?? 25,
      startAt: request.windowStart,
      windowLimit: request.windowEnd,
    });
    const hops = hopsOnPathsTo(trace.hops, request.toKey, request.maxHops);
    const onPath = new Set(hops.flatMap((h) => [h.fromKey, h.toKey]));
    return {
      from: trace.start,
      to: trace.accounts.find((a) => a.accountKey === request.toKey),
      hops,
      accounts: trace.accounts.filter((a) => onPath.has(a.accountKey)),
      cuts: trace.cuts,
    };
  }
}
