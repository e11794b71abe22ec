import type { TracedHop, TracingRuleName } from '@scamflow/contracts';
import { victimPaidAt, type CaseFiling } from './case-filing';
import { shownMoney, sumPerCurrency, type ShownMoney } from './money-text';

/** The AOC works to the first hour after the victim's payment ("golden hour"). */
export const GOLDEN_HOUR_MS = 60 * 60 * 1000;

export interface FreezeRequestAccount {
  readonly accountKey: string;
  readonly accountId: string;
  readonly role: string;
  readonly crossBorderReasons: readonly string[];
  readonly amounts: readonly { readonly rule: TracingRuleName; readonly amount: ShownMoney }[];
}

export interface FreezeRequest {
  readonly requestId: string;
  readonly caseId: string;
  readonly institutionId: string;
  readonly country: string;
  /** The rule whose amounts the request asks to freeze (the trace's preferred rule). */
  readonly quotedRule: TracingRuleName;
  /** Amounts to freeze under the quoted rule, per currency. */
  readonly quoted: readonly ShownMoney[];
  /** Totals at this institution per rule and currency (the other rules for comparison). */
  readonly totals: readonly { readonly rule: TracingRuleName; readonly amount: ShownMoney }[];
  readonly accounts: readonly FreezeRequestAccount[];
  /** The traced hops from the victim to these accounts, with the victim money each carried. */
  readonly ledger: readonly (TracedHop & { readonly amountShown: ShownMoney })[];
  readonly clock: DeadlineClock;
}

export interface DeadlineClock {
  readonly victimPaidAt: string;
  readonly asOf: string;
  readonly elapsedSeconds: number;
  readonly goldenHourEndsAt: string;
  readonly withinGoldenHour: boolean;
}

export const deadlineClock = (paidAt: string, asOf: Date): DeadlineClock => {
  const paid = new Date(paidAt).getTime();
  return {
    victimPaidAt: new Date(paid).toISOString(),
    asOf: asOf.toISOString(),
    elapsedSeconds: Math.max(0, Math.floor((asOf.getTime() - paid) / 1000)),
    goldenHourEndsAt: new Date(paid + GOLDEN_HOUR_MS).toISOString(),
    withinGoldenHour: asOf.getTime() - paid <= GOLDEN_HOUR_MS,
  };
};

const carriesCase = (hop: TracedHop, caseId: string): boolean =>
  hop.tainted.some((t) => t.caseId === caseId && BigInt(t.amount.amountMinor) > 0n);

/** Hops that carried the case's money into `targets`, found backwards over the ledger; by time. */
export const provingHops = (
  ledger: readonly TracedHop[],
  caseId: string,
  targets: Iterable<string>,
): TracedHop[] => {
  const carrying = ledger.filter((hop) => carriesCase(hop, caseId));
  const reached = new Set(targets);
  const chosen = new Set<TracedHop>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const hop of carrying) {
      if (!chosen.has(hop) && reached.has(hop.toKey)) {
        chosen.add(hop);
        reached.add(hop.fromKey);
        grew = true;
      }
    }
  }
  return [...chosen].sort(
    (a, b) => a.bookedAt.localeCompare(b.bookedAt) || a.transferId.localeCompare(b.transferId),
  );
};

/**
 * One freeze request per institution holding the case's money (a non-zero amount under any rule but
 * poison, which is an upper bound and never a freezable amount), with the hop ledger that proves it and
 * the clock since the victim paid.
 */
export const buildFreezeRequests = (filing: CaseFiling, asOf: Date): FreezeRequest[] => {
  const tracing = filing.tracing;
  if (tracing === null) return [];
  const { caseId } = filing;
  const clock = deadlineClock(victimPaidAt(filing), asOf);
  const byInstitution = new Map<string, { country: string; accounts: FreezeRequestAccount[] }>();
  for (const holder of tracing.holders) {
    const amounts = holder.amounts.filter((a) => a.caseId === caseId && a.rule !== 'poison');
    if (!amounts.some((a) => BigInt(a.amount.amountMinor) > 0n)) continue;
    const institution = holder.account.institutionId;
    const entry = byInstitution.get(institution) ?? { country: holder.account.country, accounts: [] };
    entry.accounts.push({
      accountKey: holder.account.accountKey,
      accountId: holder.account.accountId,
      role: holder.account.role,
      crossBorderReasons: holder.crossBorderReasons,
      amounts: amounts.map((a) => ({ rule: a.rule, amount: shownMoney(a.amount) })),
    });
    byInstitution.set(institution, entry);
  }
  return [...byInstitution]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([institutionId, { country, accounts }]) => {
      const rules = [...new Set(accounts.flatMap((a) => a.amounts.map((x) => x.rule)))].sort();
      const totals = rules.flatMap((rule) =>
        sumPerCurrency(
          accounts.flatMap((a) => a.amounts.filter((x) => x.rule === rule).map((x) => x.amount)),
        ).map((amount) => ({ rule, amount: shownMoney(amount) })),
      );
      return {
        requestId: `${caseId}:${institutionId}`,
        caseId,
        institutionId,
        country,
        quotedRule: tracing.preferredRule,
        quoted: totals.filter((t) => t.rule === tracing.preferredRule).map((t) => t.amount),
        totals,
        accounts: accounts.sort((a, b) => a.accountKey.localeCompare(b.accountKey)),
        ledger: provingHops(
          tracing.ledger,
          caseId,
          accounts.map((a) => a.accountKey),
        ).map((hop) => ({ ...hop, amountShown: shownMoney(hop.amount) })),
        clock,
      };
    });
};
