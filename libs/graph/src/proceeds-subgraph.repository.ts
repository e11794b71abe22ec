import { Inject, Injectable } from '@nestjs/common';
import neo4j, { DateTime, isDateTime, type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { Rail } from '@scamflow/contracts';
import { reportedPaymentWindow } from '@scamflow/tracing';
import type {
  CommittedProceedsTransfer,
  ProceedsAccount,
  ProceedsCase,
  ProceedsSubgraph,
  ProceedsTransfer,
} from '@scamflow/tracing';
import { numberOf } from './neo4j-values';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import {
  EXPAND_PROCEEDS_HOP,
  MATCH_REPORTED_PAYMENTS,
  READ_COMMITTED_TRANSFERS,
  READ_POOL_FLOWS,
  READ_PROCEEDS_CASES,
  READ_REPORTED_TRANSFERS,
} from './proceeds.cypher';

/** The tracer's types (libs/tracing); this repository maps Neo4j rows to them. Re-exported for callers. */
export type { CommittedProceedsTransfer, ProceedsAccount, ProceedsCase, ProceedsSubgraph, ProceedsTransfer };

export interface ProceedsSubgraphLimits {
  /** Hops followed from the victim's payments. */
  readonly maxHops: number;
  /** Transfers later than this after the first reported payment are not followed. */
  readonly horizonMs: number;
  /** An account with more transfers than this in its window is a terminal hub: tracing stops there. */
  readonly edgeCap: number;
  /** A payment known only by amount and time matches a victim's transfer of that amount within ± this. */
  readonly paymentMatchWindowMs: number;
  /** Transfers this long before traced money reached an account are read for its pool (never followed). */
  readonly mixLookbackMs: number;
}

/** Which of the newly reached accounts to expand, given the subgraph read so far. */
export type FollowFilter = (partial: ProceedsSubgraph, candidates: readonly string[]) => ReadonlySet<string>;

type Row = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const isoOf = (value: unknown): string =>
  isDateTime(value) ? value.toStandardDate().toISOString() : String(value);
const dateTimeOf = (ms: number) => DateTime.fromStandardDate(new Date(ms));

const kindOf = (value: unknown): ProceedsAccount['kind'] =>
  value === 'vasp-account' || value === 'wallet' ? value : 'bank-account';

const accountOf = (row: unknown): ProceedsAccount => {
  const a = row as Row;
  return {
    accountKey: String(a.accountKey),
    accountId: text(a.accountId) ?? String(a.accountKey),
    institutionId: text(a.institutionId) ?? 'unknown',
    country: text(a.country) ?? 'ZZ',
    kind: kindOf(a.kind),
  };
};

/** One side of a transfer row (`TRANSFER_ROW`): the account key, then its id, institution, country, kind. */
const rowAccountOf = (key: unknown, r: readonly unknown[], at: number): ProceedsAccount => ({
  accountKey: String(key),
  accountId: text(r[at]) ?? String(key),
  institutionId: text(r[at + 1]) ?? 'unknown',
  country: text(r[at + 2]) ?? 'ZZ',
  kind: kindOf(r[at + 3]),
});

/** Where `TRANSFER_ROW` puts the booking time (epoch milliseconds). */
const TRANSFER_ROW_BOOKED_AT_MS = 4;

/** A transfer as `TRANSFER_ROW` lists it; a row with the ledger-twin flag appended has 20 entries. */
const transferOf = (
  row: unknown,
): { transfer: ProceedsTransfer; debtor: ProceedsAccount; creditor: ProceedsAccount } => {
  const r = row as readonly unknown[];
  return {
    transfer: transferFieldsOf(r),
    debtor: rowAccountOf(r[1], r, 11),
    creditor: rowAccountOf(r[2], r, 15),
  };
};

/** A transfer from its own fields: the first eleven of `TRANSFER_ROW` (all of `TRANSFER_FIELDS`). */
const transferFieldsOf = (r: readonly unknown[]): ProceedsTransfer => {
  const refAmountMinor = text(r[8]);
  const debtorBalanceAfterMinor = text(r[9]);
  const txHash = text(r[10]);
  return {
    transferId: String(r[0]),
    fromKey: String(r[1]),
    toKey: String(r[2]),
    rail: (text(r[3]) ?? 'bank') as Rail,
    bookedAt: new Date(numberOf(r[TRANSFER_ROW_BOOKED_AT_MS])).toISOString(),
    amountMinor: String(r[5]),
    currency: String(r[6]),
    scale: numberOf(r[7]),
    ...(refAmountMinor !== undefined ? { refAmountMinor } : {}),
    ...(debtorBalanceAfterMinor !== undefined ? { debtorBalanceAfterMinor } : {}),
    ...(txHash !== undefined ? { txHash } : {}),
  };
};

/** The accounts an expanded hop lists once each (`[key, id, institution, country, kind]`), by key. */
const hopAccountsOf = (rows: unknown): Map<string, ProceedsAccount> =>
  new Map((rows as readonly (readonly unknown[])[]).map((r) => [String(r[0]), rowAccountOf(r[0], r, 1)]));

const parseReportedTransfers = (json: unknown): ProceedsCase['reportedTransfers'] => {
  if (typeof json !== 'string') return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? (parsed as ProceedsCase['reportedTransfers']) : [];
};

/**
 * The subgraph a victim case's money moved through: the victim's reported payments, then forward hop by hop
 * (one query per hop over the whole frontier, inside one read transaction: a consistent snapshot), each
 * account's transfers from the earliest arrival of traced money there up to the horizon.
 */
@Injectable()
export class ProceedsSubgraphRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Transfers by id with their accounts (ids not in the graph are left out). One indexed read per batch. */
  async readTransfers(transferIds: readonly string[]): Promise<CommittedProceedsTransfer[]> {
    if (transferIds.length === 0) return [];
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const { records } = await session.executeRead((tx) =>
        tx.run(READ_COMMITTED_TRANSFERS, { transferIds: [...new Set(transferIds)] }),
      );
      return records.map((record) => ({
        ...transferOf(record.get('transfer')),
        ledgerTwin: record.get('ledgerTwin') === true,
      }));
    } finally {
      await session.close();
    }
  }

  /**
   * Each account's transfers booked in [fromMs, untilMs] (both directions, with their accounts), at most
   * `edgeLimit` each, in the order asked (one read for any number of accounts and windows; an account not in
   * the graph has none): when a case's money first reaches an account, the flows before make up its pool and
   * those after that the graph already holds are carried at once.
   */
  async readPoolFlows(
    accounts: readonly { accountKey: string; fromMs: number; untilMs: number }[],
    edgeLimit: number,
  ): Promise<CommittedProceedsTransfer[][]> {
    const flows: CommittedProceedsTransfer[][] = accounts.map(() => []);
    if (accounts.length === 0) return flows;
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const { records } = await session.executeRead((tx) =>
        tx.run(READ_POOL_FLOWS, {
          accounts: accounts.map((a, at) => ({
            at: neo4j.int(at),
            accountKey: a.accountKey,
            from: dateTimeOf(a.fromMs),
            until: dateTimeOf(a.untilMs),
          })),
          edgeLimit: neo4j.int(edgeLimit),
        }),
      );
      for (const record of records) {
        const rows = record.get('transfers') as unknown[][];
        flows[numberOf(record.get('at'))] = rows.map((row) => ({
          ...transferOf(row),
          ledgerTwin: row[19] === true,
        }));
      }
      return flows;
    } finally {
      await session.close();
    }
  }

  /**
   * Reads a case and the subgraph its money can have reached. `follow`, when given, is asked after each hop
   * which of the newly reached accounts are worth expanding (e.g. those that received a material share of the
   * case's money under a tracing rule): without it every outflow of every reached account is followed, which
   * on ordinary traffic grows the subgraph to the edge caps.
   */
  async readCase(
    caseId: string,
    limits: ProceedsSubgraphLimits,
    follow?: FollowFilter,
  ): Promise<ProceedsSubgraph | undefined> {
    return (await this.readCases([caseId], limits, follow)).get(caseId);
  }

  /**
   * `readCase` for several cases in one read transaction: each step (reports, referenced payments, payments by
   * amount, then each hop) is one statement over every case still expanding, so tracing n cases costs the
   * round trips of one. Each case keeps its own frontier, hubs and follow decisions: the subgraph of a case is
   * the same whether it is read alone or with others. Cases without a report in the graph are left out.
   */
  async readCases(
    caseIds: readonly string[],
    limits: ProceedsSubgraphLimits,
    follow?: FollowFilter,
  ): Promise<Map<string, ProceedsSubgraph>> {
    if (caseIds.length === 0) return new Map();
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) => this.read(tx, [...new Set(caseIds)], limits, follow));
    } finally {
      await session.close();
    }
  }

  private async read(
    tx: ManagedTransaction,
    caseIds: readonly string[],
    limits: ProceedsSubgraphLimits,
    follow: FollowFilter | undefined,
  ): Promise<Map<string, ProceedsSubgraph>> {
    const reads = (await tx.run(READ_PROCEEDS_CASES, { caseIds })).records.map((record): CaseRead => {
      const victims = (record.get('victims') as unknown[]).map(accountOf);
      return new CaseRead({
        caseId: String(record.get('caseId')),
        version: numberOf(record.get('version')),
        reportedAt: isoOf(record.get('reportedAt')),
        victims,
        reportedTransfers: parseReportedTransfers(record.get('reportedTransfers')),
      });
    });

    // Seeds: referenced transfers first, then amount-and-time matches (each graph transfer used once per case).
    const referenced = [
      ...new Set(reads.flatMap((r) => r.theCase.reportedTransfers.flatMap((p) => p.transferId ?? []))),
    ];
    const byId = new Map<string, unknown>();
    if (referenced.length > 0) {
      const { records } = await tx.run(READ_REPORTED_TRANSFERS, { transferIds: referenced });
      for (const record of records) {
        const row: unknown = record.get('transfer');
        byId.set(String((row as unknown[])[0]), row);
      }
    }
    const byAmount = reads.flatMap((read, caseIndex) => {
      const { theCase } = read;
      const reportedAtMs = Date.parse(theCase.reportedAt);
      const payments = theCase.reportedTransfers.flatMap((p, index) => {
        if (p.transferId) {
          const row = byId.get(p.transferId);
          if (row === undefined) read.unmatched.push(index);
          else if (!read.seeds.has(p.transferId)) read.seeds.set(read.keep(row).transferId, 'reference');
          return [];
        }
        if (!p.amount) return [];
        // Without a payment time the victim paid at some point before the report, within the horizon.
        const { fromMs: from, untilMs: to } = reportedPaymentWindow(p, theCase.reportedAt, limits);
        const paidMs = p.paidAt ? Date.parse(p.paidAt) : reportedAtMs;
        return [{ caseIndex, index, paidMs, amount: p.amount, from, to }];
      });
      return theCase.victims.length > 0 ? payments : [];
    });
    if (byAmount.length > 0) {
      const { records } = await tx.run(MATCH_REPORTED_PAYMENTS, {
        payments: byAmount.map((p) => ({
          caseIndex: neo4j.int(p.caseIndex),
          index: neo4j.int(p.index),
          victimKeys: reads[p.caseIndex]!.theCase.victims.map((v) => v.accountKey),
          amountMinor: p.amount.amountMinor,
          currency: p.amount.currency,
          scale: neo4j.int(p.amount.scale),
          from: dateTimeOf(p.from),
          to: dateTimeOf(p.to),
        })),
      });
      const candidates = new Map<string, ProceedsTransfer[]>();
      for (const record of records) {
        const read = reads[numberOf(record.get('caseIndex'))]!;
        const at = `${numberOf(record.get('caseIndex'))}/${numberOf(record.get('paymentIndex'))}`;
        const list = candidates.get(at) ?? [];
        list.push(read.keep(record.get('transfer')));
        candidates.set(at, list);
      }
      for (const payment of byAmount) {
        const read = reads[payment.caseIndex]!;
        // Closest in time to what the victim said; ties by id, so the choice is stable.
        const best = (candidates.get(`${payment.caseIndex}/${payment.index}`) ?? [])
          .filter((t) => !read.seeds.has(t.transferId))
          .sort(
            (a, b) =>
              Math.abs(Date.parse(a.bookedAt) - payment.paidMs) -
                Math.abs(Date.parse(b.bookedAt) - payment.paidMs) || (a.transferId < b.transferId ? -1 : 1),
          )[0];
        if (best) read.seeds.set(best.transferId, 'amount-and-time');
        else read.unmatched.push(payment.index);
      }
      // Candidates that were not chosen are not part of the case.
      for (const [at, list] of candidates) {
        const read = reads[Number(at.split('/')[0])]!;
        for (const t of list) if (!read.seeds.has(t.transferId)) read.transfers.delete(t.transferId);
      }
    }

    await this.expand(tx, reads, limits, follow);
    return new Map(reads.map((read) => [read.theCase.caseId, read.snapshot()]));
  }

  /**
   * Breadth-first, time-respecting expansion of every case at once (one statement per hop); marks a case
   * `truncated` when accounts were left unexpanded at the hop limit.
   */
  private async expand(
    tx: ManagedTransaction,
    reads: readonly CaseRead[],
    limits: ProceedsSubgraphLimits,
    follow: FollowFilter | undefined,
  ): Promise<void> {
    const expanding = reads.flatMap((read) => {
      const seeds = [...read.seeds.keys()].flatMap((id) => read.transfers.get(id) ?? []);
      if (seeds.length === 0) return [];
      const startMs = Math.min(...seeds.map((t) => Date.parse(t.bookedAt)));
      // Earliest arrival of traced money per account that was expanded from it.
      const expandedSince = new Map<string, number>();
      const victimKeys = new Set(read.theCase.victims.map((v) => v.accountKey));
      const reach = (next: Map<string, number>, accountKey: string, atMs: number) => {
        if (victimKeys.has(accountKey) || read.terminalHubs.has(accountKey)) return;
        const current = expandedSince.get(accountKey);
        if (current !== undefined && current <= atMs) return;
        const pending = next.get(accountKey);
        if (pending === undefined || atMs < pending) next.set(accountKey, atMs);
      };
      const frontier = new Map<string, number>();
      for (const t of seeds) reach(frontier, t.toKey, Date.parse(t.bookedAt));
      return [{ read, untilMs: startMs + limits.horizonMs, expandedSince, reach, frontier }];
    });

    for (let hop = 1; hop <= limits.maxHops; hop += 1) {
      const active = expanding.filter((e) => e.frontier.size > 0);
      if (active.length === 0) break;
      const { records } = await tx.run(EXPAND_PROCEEDS_HOP, {
        frontier: active.flatMap((e, index) =>
          [...e.frontier].map(([accountKey, sinceMs]) => ({
            at: neo4j.int(index),
            accountKey,
            fromMs: neo4j.int(sinceMs - limits.mixLookbackMs),
            untilMs: neo4j.int(e.untilMs),
          })),
        ),
        edgeLimit: neo4j.int(limits.edgeCap + 1),
      });
      const rowsOf = new Map<number, { accountKey: string; rows: unknown[]; accounts: unknown }[]>();
      for (const record of records) {
        const at = numberOf(record.get('at'));
        const list = rowsOf.get(at) ?? [];
        list.push({
          accountKey: record.get('accountKey') as string,
          rows: record.get('transfers') as unknown[],
          accounts: record.get('accounts'),
        });
        rowsOf.set(at, list);
      }
      for (const [index, e] of active.entries()) {
        for (const [accountKey, sinceMs] of e.frontier) e.expandedSince.set(accountKey, sinceMs);
        const next = new Map<string, number>();
        for (const { accountKey, rows, accounts } of rowsOf.get(index) ?? []) {
          const sinceMs = e.frontier.get(accountKey) ?? 0;
          if (rows.length > limits.edgeCap) {
            e.read.terminalHubs.set(accountKey, rows.length);
            continue;
          }
          const hopAccounts = hopAccountsOf(accounts);
          for (const row of rows) {
            const transfer = e.read.keepFields(row, hopAccounts);
            const atMs = numberOf((row as readonly unknown[])[TRANSFER_ROW_BOOKED_AT_MS]);
            if (transfer.fromKey === accountKey && transfer.toKey !== accountKey && atMs >= sinceMs) {
              e.reach(next, transfer.toKey, atMs);
            }
          }
        }
        if (follow && next.size > 0) {
          const worth = follow(e.read.snapshot(), [...next.keys()]);
          for (const key of [...next.keys()]) if (!worth.has(key)) next.delete(key);
        }
        e.frontier = next;
      }
    }
    for (const e of expanding) e.read.truncated = e.frontier.size > 0;
  }
}

/** One case's subgraph while it is read. */
class CaseRead {
  readonly transfers = new Map<string, ProceedsTransfer>();
  readonly accounts: Map<string, ProceedsAccount>;
  readonly seeds = new Map<string, 'reference' | 'amount-and-time'>();
  readonly unmatched: number[] = [];
  readonly terminalHubs = new Map<string, number>();
  truncated = false;

  constructor(readonly theCase: ProceedsCase) {
    this.accounts = new Map(theCase.victims.map((v) => [v.accountKey, v]));
  }

  /**
   * Keeps a transfer row (and its accounts) in the subgraph. A transfer between two expanded accounts comes back
   * in both accounts' windows; the second row is the same transfer (one read transaction) and is not rebuilt.
   */
  keep(row: unknown): ProceedsTransfer {
    const kept = this.transfers.get(String((row as readonly unknown[])[0]));
    if (kept) return kept;
    const { transfer, debtor, creditor } = transferOf(row);
    this.transfers.set(transfer.transferId, transfer);
    if (!this.accounts.has(debtor.accountKey)) this.accounts.set(debtor.accountKey, debtor);
    if (!this.accounts.has(creditor.accountKey)) this.accounts.set(creditor.accountKey, creditor);
    return transfer;
  }

  /** `keep` for a row of the transfer's own fields, its accounts listed apart (`EXPAND_PROCEEDS_HOP`). */
  keepFields(row: unknown, accounts: ReadonlyMap<string, ProceedsAccount>): ProceedsTransfer {
    const r = row as readonly unknown[];
    const kept = this.transfers.get(String(r[0]));
    if (kept) return kept;
    const transfer = transferFieldsOf(r);
    this.transfers.set(transfer.transferId, transfer);
    for (const key of [transfer.fromKey, transfer.toKey]) {
      if (this.accounts.has(key)) continue;
      const account = accounts.get(key);
      if (!account)
        throw new Error(`transfer ${transfer.transferId}: account ${key} missing from its hop's read`);
      this.accounts.set(key, account);
    }
    return transfer;
  }

  snapshot(): ProceedsSubgraph {
    return {
      case: this.theCase,
      seeds: [...this.seeds].map(([transferId, matchedBy]) => ({ transferId, matchedBy })),
      unmatchedPayments: [...this.unmatched].sort((a, b) => a - b),
      transfers: [...this.transfers.values()],
      accounts: this.accounts,
      terminalHubs: this.terminalHubs,
      truncated: this.truncated,
    };
  }
}
