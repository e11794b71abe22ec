import type { AccountRole } from '@scamflow/contracts';
import {
  SPLITTING_RULES,
  type ProceedsAccount,
  type ProceedsSubgraph,
  type SplittingRule,
  type TraceResult,
  type PendingPayment,
} from '@scamflow/tracing';
import { crossBorderReasonsOf } from './cross-border';
import { inferRoles } from './roles';
import type { TraceInput, TraceUnit, Untraceable } from './trace-input';

export type PerRule = Record<SplittingRule, bigint>;

/** One transfer that carried some of this case's money. */
export interface CaseHop {
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly atMs: number;
  readonly amount: bigint;
  readonly tainted: PerRule;
}

/** An account still holding some of this case's money. */
export interface CaseHolder {
  readonly accountKey: string;
  readonly held: PerRule;
  /** Upper bound over every case (poison rule); triage only. */
  readonly poisonUpperBound: bigint;
  readonly librApplied: boolean;
}

/** What one case's trace says: where its money went, who holds it, and what crossed a border. */
export interface CaseFindings {
  readonly caseId: string;
  readonly caseVersion: number;
  readonly reportedAt: string;
  readonly victims: readonly ProceedsAccount[];
  readonly unit: TraceUnit;
  readonly seeded: bigint;
  readonly seedTransferIds: readonly string[];
  readonly accounts: ReadonlyMap<string, ProceedsAccount>;
  readonly hops: readonly CaseHop[];
  /** Reported payments not found in the graph yet: until they are, the victim's account is watched. */
  readonly unmatchedPayments: number;
  /** What can still settle each of them (set when the case was traced from the graph). */
  readonly pendingPayments?: readonly PendingPayment[];
  readonly holders: readonly CaseHolder[];
  /** Hops from the victim at which each account first received the case's money, and the hop that did. */
  readonly depth: ReadonlyMap<string, number>;
  readonly via: ReadonlyMap<string, CaseHop>;
  readonly roles: ReadonlyMap<string, AccountRole>;
  /** Accounts that received the case's money under FIFO or haircut and why they matter across borders. */
  readonly crossBorder: ReadonlyMap<string, readonly string[]>;
  readonly terminalHubs: ReadonlyMap<string, number>;
  readonly untraceable: readonly Untraceable[];
  readonly truncated: boolean;
}

const shareOf = (amounts: Record<SplittingRule, ReadonlyMap<string, bigint>>, caseId: string): PerRule => ({
  fifo: amounts.fifo.get(caseId) ?? 0n,
  haircut: amounts.haircut.get(caseId) ?? 0n,
  'fifo-libr': amounts['fifo-libr'].get(caseId) ?? 0n,
  'haircut-libr': amounts['haircut-libr'].get(caseId) ?? 0n,
});

const anyAbove = (amounts: PerRule): boolean => SPLITTING_RULES.some((rule) => amounts[rule] > 0n);

/** Keeps only this case's share of a trace (other cases' money in the same accounts is theirs, not ours). */
export const analyseCase = (
  subgraph: ProceedsSubgraph,
  input: TraceInput,
  result: TraceResult,
): CaseFindings => {
  const { caseId } = subgraph.case;
  const hops: CaseHop[] = result.ledger.flatMap((hop) => {
    const tainted = shareOf(hop.tainted, caseId);
    if (!anyAbove(tainted)) return [];
    const { transferId, fromKey, toKey, atMs, amount } = hop;
    return [{ transferId, fromKey, toKey, atMs, amount, tainted }];
  });
  const holders: CaseHolder[] = result.holders.flatMap((holder) => {
    const held = shareOf(holder.held, caseId);
    if (!anyAbove(held)) return [];
    const { accountKey, poisonUpperBound, librApplied } = holder;
    return [{ accountKey, held, poisonUpperBound, librApplied }];
  });

  const seedTransferIds = input.seeds.map((s) => s.transferId);
  return completeFindings(
    {
      caseId,
      caseVersion: subgraph.case.version,
      reportedAt: subgraph.case.reportedAt,
      victims: subgraph.case.victims,
      unit: input.unit,
      seeded: result.sources.get(caseId)?.seeded ?? 0n,
      seedTransferIds,
      accounts: subgraph.accounts,
      hops,
      unmatchedPayments: subgraph.unmatchedPayments.length,
      holders,
      terminalHubs: subgraph.terminalHubs,
      untraceable: input.untraceable,
      truncated: subgraph.truncated,
    },
    [...input.transfers.values()],
  );
};

/** What a case's trace states; the rest of its findings follow from it. */
export type FindingsCore = Omit<CaseFindings, 'depth' | 'via' | 'roles' | 'crossBorder'>;

/**
 * Depth and path of each account from the victim, roles and cross-border points, from the case's hops (in time
 * order) and accounts. `transfers`: what is known of the accounts' outflows (an unhosted wallet paying a foreign
 * VASP).
 */
export const completeFindings = (
  core: FindingsCore,
  transfers: readonly Pick<CaseHop, 'fromKey' | 'toKey'>[],
): CaseFindings => {
  const { hops } = core;
  const victimKeys = new Set(core.victims.map((v) => v.accountKey));
  const victimCountries = new Set(core.victims.map((v) => v.country));
  // Hops are in time order, so each account's depth comes from a time-respecting path.
  const depth = new Map<string, number>([...victimKeys].map((key) => [key, 0]));
  const via = new Map<string, CaseHop>();
  for (const hop of hops) {
    const next = (depth.get(hop.fromKey) ?? 0) + 1;
    const current = depth.get(hop.toKey);
    if (current === undefined || next < current) {
      depth.set(hop.toKey, next);
      via.set(hop.toKey, hop);
    }
  }

  const crossBorder = new Map<string, string[]>();
  const context = { victimCountries, accounts: core.accounts, transfers };
  for (const hop of hops) {
    if (hop.tainted.fifo === 0n && hop.tainted.haircut === 0n) continue;
    if (crossBorder.has(hop.toKey) || victimKeys.has(hop.toKey)) continue;
    const account = core.accounts.get(hop.toKey);
    if (!account) continue;
    const reasons = crossBorderReasonsOf(account, context);
    if (reasons.length > 0) crossBorder.set(hop.toKey, reasons);
  }

  return {
    ...core,
    depth,
    via,
    roles: inferRoles({ victimKeys, accounts: core.accounts, moves: hops, victimCountries }),
    crossBorder,
  };
};

/** Holders of a material share of the case's money: their outflows can change where the money is. */
export const watchedHolders = (findings: CaseFindings, minShare: number): string[] => {
  // Share as parts per million, in bigint: amounts can exceed 2^53 minor units.
  const minPpm = BigInt(Math.round(minShare * 1_000_000));
  return findings.holders
    .filter((h) => {
      const held = h.held.fifo > h.held.haircut ? h.held.fifo : h.held.haircut;
      return held > 0n && held * 1_000_000n >= minPpm * findings.seeded;
    })
    .map((h) => h.accountKey);
};
