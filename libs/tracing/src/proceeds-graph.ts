import type { AccountKind, MinorMoney, Rail } from '@scamflow/contracts';

/**
 * The money graph a victim case is traced over, as the tracer sees it. The graph adapter (libs/graph's
 * ProceedsSubgraphRepository) reads Neo4j into these shapes; the tracer never sees a driver type.
 */
export interface ProceedsAccount {
  readonly accountKey: string;
  readonly accountId: string;
  readonly institutionId: string;
  readonly country: string;
  readonly kind: AccountKind;
}

/** One transfer as the graph holds it; amounts are exact minor-unit strings. */
export interface ProceedsTransfer {
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly rail: Rail;
  readonly bookedAt: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
  /** In the deployment's reference currency; absent when ingest had no FX rate. */
  readonly refAmountMinor?: string;
  readonly debtorBalanceAfterMinor?: string;
  readonly txHash?: string;
}

export interface ProceedsCase {
  readonly caseId: string;
  readonly version: number;
  readonly reportedAt: string;
  readonly victims: readonly ProceedsAccount[];
  readonly reportedTransfers: readonly { transferId?: string; amount?: MinorMoney; paidAt?: string }[];
}

/** A committed transfer with both accounts, for the incremental tracer. */
export interface CommittedProceedsTransfer {
  readonly transfer: ProceedsTransfer;
  readonly debtor: ProceedsAccount;
  readonly creditor: ProceedsAccount;
  /** The on-chain copy of a VASP ledger withdrawal already in the graph: the same movement, not traced twice. */
  readonly ledgerTwin: boolean;
}

export interface ProceedsSubgraph {
  readonly case: ProceedsCase;
  /** The victim's payments found in the graph: where the case's money enters the subgraph. */
  readonly seeds: readonly { transferId: string; matchedBy: 'reference' | 'amount-and-time' }[];
  /** Reported payments not (yet) found in the graph, by index in `case.reportedTransfers`. */
  readonly unmatchedPayments: readonly number[];
  readonly transfers: readonly ProceedsTransfer[];
  readonly accounts: ReadonlyMap<string, ProceedsAccount>;
  /** Hubs where tracing stopped, with the number of transfers seen in their window (more than the cap). */
  readonly terminalHubs: ReadonlyMap<string, number>;
  /** True when accounts were still to be expanded after the last hop allowed. */
  readonly truncated: boolean;
}
