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
  READ_PROCEEDS_CASE,
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

const accountOf = (row: unknown): ProceedsAccount => {
  const a = row as Row;
  const kind = text(a.kind);
  return {
    accountKey: String(a.accountKey),
    accountId: text(a.accountId) ?? String(a.accountKey),
    institutionId: text(a.institutionId) ?? 'unknown',
    country: text(a.country) ?? 'ZZ',
    kind: kind === 'vasp-account' || kind === 'wallet' ? kind : 'bank-account',
  };
};

const transferOf = (
  row: unknown,
): { transfer: ProceedsTransfer; debtor: ProceedsAccount; creditor: ProceedsAccount } => {
  const t = row as Row;
  const refAmountMinor = text(t.refAmountMinor);
  const debtorBalanceAfterMinor = text(t.debtorBalanceAfterMinor);
  const txHash = text(t.txHash);
  return {
    transfer: {
      transferId: String(t.transferId),
      fromKey: String(t.fromKey),
      toKey: String(t.toKey),
      rail: (text(t.rail) ?? 'bank') as Rail,
      bookedAt: new Date(numberOf(t.bookedAtMs)).toISOString(),
      amountMinor: String(t.amountMinor),
      currency: String(t.currency),
      scale: numberOf(t.scale),
      ...(refAmountMinor !== undefined ? { refAmountMinor } : {}),
      ...(debtorBalanceAfterMinor !== undefined ? { debtorBalanceAfterMinor } : {}),
      ...(txHash !== undefined ? { txHash } : {}),
    },
    debtor: accountOf(t.debtor),
    creditor: accountOf(t.creditor),
  };
};

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
   * `edgeLimit` each: when a case's money first reaches an account, the flows before make up its pool and
   * those after that the graph already holds are carried at once.
   */
  async readPoolFlows(
    accounts: readonly { accountKey: string; fromMs: number; untilMs: number }[],
    edgeLimit: number,
  ): Promise<Map<string, CommittedProceedsTransfer[]>> {
    const flows = new Map<string, CommittedProceedsTransfer[]>();
    if (accounts.length === 0) return flows;
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      const { records } = await session.executeRead((tx) =>
        tx.run(READ_POOL_FLOWS, {
          accounts: accounts.map((a) => ({
            accountKey: a.accountKey,
            from: dateTimeOf(a.fromMs),
            until: dateTimeOf(a.untilMs),
          })),
          edgeLimit: neo4j.int(edgeLimit),
        }),
      );
      for (const record of records) {
        const rows = record.get('transfers') as { transfer: unknown; ledgerTwin: unknown }[];
        flows.set(
          record.get('accountKey') as string,
          rows.map((row) => ({ ...transferOf(row.transfer), ledgerTwin: row.ledgerTwin === true })),
        );
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
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) => this.read(tx, caseId, limits, follow));
    } finally {
      await session.close();
    }
  }

  private async read(
    tx: ManagedTransaction,
    caseId: string,
    limits: ProceedsSubgraphLimits,
    follow: FollowFilter | undefined,
  ): Promise<ProceedsSubgraph | undefined> {
    const caseRecord = (await tx.run(READ_PROCEEDS_CASE, { caseId })).records[0];
    if (!caseRecord) return undefined;
    const victims = (caseRecord.get('victims') as unknown[]).map(accountOf);
    const reported: ProceedsCase['reportedTransfers'] = parseReportedTransfers(
      caseRecord.get('reportedTransfers'),
    );
    const theCase: ProceedsCase = {
      caseId,
      version: numberOf(caseRecord.get('version')),
      reportedAt: isoOf(caseRecord.get('reportedAt')),
      victims,
      reportedTransfers: reported,
    };
    const transfers = new Map<string, ProceedsTransfer>();
    const accounts = new Map<string, ProceedsAccount>(victims.map((v) => [v.accountKey, v]));
    const keep = (row: unknown): ProceedsTransfer => {
      const { transfer, debtor, creditor } = transferOf(row);
      transfers.set(transfer.transferId, transfer);
      if (!accounts.has(debtor.accountKey)) accounts.set(debtor.accountKey, debtor);
      if (!accounts.has(creditor.accountKey)) accounts.set(creditor.accountKey, creditor);
      return transfer;
    };

    // Seeds: referenced transfers first, then amount-and-time matches (each graph transfer used once).
    const seeds = new Map<string, 'reference' | 'amount-and-time'>();
    const unmatched: number[] = [];
    const referenced = reported.flatMap((p) => (p.transferId ? [p.transferId] : []));
    if (referenced.length > 0) {
      const { records } = await tx.run(READ_REPORTED_TRANSFERS, { transferIds: referenced });
      for (const record of records) seeds.set(keep(record.get('transfer')).transferId, 'reference');
    }
    const reportedAtMs = Date.parse(theCase.reportedAt);
    const byAmount = reported.flatMap((p, index) => {
      if (p.transferId) {
        if (!seeds.has(p.transferId)) unmatched.push(index);
        return [];
      }
      if (!p.amount) return [];
      // Without a payment time the victim paid at some point before the report, within the horizon.
      const { fromMs: from, untilMs: to } = reportedPaymentWindow(p, theCase.reportedAt, limits);
      const paidMs = p.paidAt ? Date.parse(p.paidAt) : reportedAtMs;
      return [{ index, paidMs, amount: p.amount, from, to }];
    });
    if (byAmount.length > 0 && victims.length > 0) {
      const { records } = await tx.run(MATCH_REPORTED_PAYMENTS, {
        victimKeys: victims.map((v) => v.accountKey),
        payments: byAmount.map((p) => ({
          index: neo4j.int(p.index),
          amountMinor: p.amount.amountMinor,
          currency: p.amount.currency,
          scale: neo4j.int(p.amount.scale),
          from: dateTimeOf(p.from),
          to: dateTimeOf(p.to),
        })),
      });
      const candidates = new Map<number, ProceedsTransfer[]>();
      for (const record of records) {
        const index = numberOf(record.get('paymentIndex'));
        const list = candidates.get(index) ?? [];
        list.push(transferOf(record.get('transfer')).transfer);
        candidates.set(index, list);
        keep(record.get('transfer'));
      }
      for (const payment of byAmount) {
        // Closest in time to what the victim said; ties by id, so the choice is stable.
        const best = (candidates.get(payment.index) ?? [])
          .filter((t) => !seeds.has(t.transferId))
          .sort(
            (a, b) =>
              Math.abs(Date.parse(a.bookedAt) - payment.paidMs) -
                Math.abs(Date.parse(b.bookedAt) - payment.paidMs) || (a.transferId < b.transferId ? -1 : 1),
          )[0];
        if (best) seeds.set(best.transferId, 'amount-and-time');
        else unmatched.push(payment.index);
      }
      // Candidates that were not chosen are not part of the case.
      for (const list of candidates.values()) {
        for (const t of list) if (!seeds.has(t.transferId)) transfers.delete(t.transferId);
      }
    }

    const seedTransfers = [...seeds.keys()].flatMap((id) => transfers.get(id) ?? []);
    const terminalHubs = new Map<string, number>();
    let truncated = false;
    const snapshot = (): ProceedsSubgraph => ({
      case: theCase,
      seeds: [...seeds].map(([transferId, matchedBy]) => ({ transferId, matchedBy })),
      unmatchedPayments: [...unmatched].sort((a, b) => a - b),
      transfers: [...transfers.values()],
      accounts,
      terminalHubs,
      truncated,
    });
    if (seedTransfers.length > 0) {
      const startMs = Math.min(...seedTransfers.map((t) => Date.parse(t.bookedAt)));
      truncated = await this.expand(tx, seedTransfers, startMs + limits.horizonMs, limits, {
        victimKeys: new Set(victims.map((v) => v.accountKey)),
        keep,
        terminalHubs,
        ...(follow ? { follow: (candidates: readonly string[]) => follow(snapshot(), candidates) } : {}),
      });
    }
    return snapshot();
  }

  /** Breadth-first, time-respecting expansion; returns whether accounts were left unexpanded. */
  private async expand(
    tx: ManagedTransaction,
    seedTransfers: readonly ProceedsTransfer[],
    untilMs: number,
    limits: ProceedsSubgraphLimits,
    state: {
      victimKeys: ReadonlySet<string>;
      keep: (row: unknown) => ProceedsTransfer;
      terminalHubs: Map<string, number>;
      follow?: (candidates: readonly string[]) => ReadonlySet<string>;
    },
  ): Promise<boolean> {
    // Earliest arrival of traced money per account that was expanded from it.
    const expandedSince = new Map<string, number>();
    const reach = (next: Map<string, number>, accountKey: string, atMs: number) => {
      if (state.victimKeys.has(accountKey) || state.terminalHubs.has(accountKey)) return;
      const current = expandedSince.get(accountKey);
      if (current !== undefined && current <= atMs) return;
      const pending = next.get(accountKey);
      if (pending === undefined || atMs < pending) next.set(accountKey, atMs);
    };
    let frontier = new Map<string, number>();
    for (const t of seedTransfers) reach(frontier, t.toKey, Date.parse(t.bookedAt));

    for (let hop = 1; hop <= limits.maxHops && frontier.size > 0; hop += 1) {
      const { records } = await tx.run(EXPAND_PROCEEDS_HOP, {
        frontier: [...frontier].map(([accountKey, sinceMs]) => ({
          accountKey,
          from: dateTimeOf(sinceMs - limits.mixLookbackMs),
        })),
        until: dateTimeOf(untilMs),
        edgeLimit: neo4j.int(limits.edgeCap + 1),
      });
      for (const [accountKey, sinceMs] of frontier) expandedSince.set(accountKey, sinceMs);
      const next = new Map<string, number>();
      for (const record of records) {
        const accountKey = record.get('accountKey') as string;
        const sinceMs = frontier.get(accountKey) ?? 0;
        const rows = record.get('transfers') as unknown[];
        if (rows.length > limits.edgeCap) {
          state.terminalHubs.set(accountKey, rows.length);
          continue;
        }
        for (const row of rows) {
          const transfer = state.keep(row);
          const atMs = Date.parse(transfer.bookedAt);
          if (transfer.fromKey === accountKey && transfer.toKey !== accountKey && atMs >= sinceMs) {
            reach(next, transfer.toKey, atMs);
          }
        }
      }
      if (state.follow && next.size > 0) {
        const worth = state.follow([...next.keys()]);
        for (const key of [...next.keys()]) if (!worth.has(key)) next.delete(key);
      }
      frontier = next;
    }
    return frontier.size > 0;
  }
}
