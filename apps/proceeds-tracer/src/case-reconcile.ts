import { SPLITTING_RULES, type SplittingRule } from '@scamflow/tracing';
import type { CaseFindings } from './case-findings';

/** Roles the evaluation counts as detections (a mule passing the money on, a collector, an off-ramp...). */
const SUSPICIOUS: ReadonlySet<string> = new Set(['mule', 'collector', 'off-ramp', 'hop-wallet']);

/** One holder whose carried amount differs from the graph's, per rule (minor units of the case's unit). */
export interface HolderDifference {
  readonly accountKey: string;
  readonly carried: Record<SplittingRule, string>;
  readonly traced: Record<SplittingRule, string>;
}

/** Where a case's carried record (the incremental state) and a trace of the graph disagree. */
export interface CaseReconciliation {
  readonly caseId: string;
  readonly agrees: boolean;
  /** Cross-border accounts only the graph's trace reaches, and only the carried record reaches. */
  readonly crossBorderMissing: readonly string[];
  readonly crossBorderExtra: readonly string[];
  /** Accounts in a suspicious role (mule, collector, off-ramp, hop wallet) only in one of the two. */
  readonly suspiciousMissing: readonly string[];
  readonly suspiciousExtra: readonly string[];
  /** Material holders (at least `minShare` of the case under some rule) whose amounts differ. */
  readonly holders: readonly HolderDifference[];
}

const suspiciousOf = (findings: CaseFindings): Set<string> =>
  new Set([...findings.roles].filter(([, role]) => SUSPICIOUS.has(role)).map(([key]) => key));

const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] =>
  [...a].filter((key) => !b.has(key)).sort();

const text = (held: Record<SplittingRule, bigint> | undefined): Record<SplittingRule, string> =>
  Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, (held?.[rule] ?? 0n).toString()])) as Record<
    SplittingRule,
    string
  >;

/**
 * Compares a case as carried forward transfer by transfer with the same case traced from the graph (the
 * batch trace is the reference: the carry must equal it). Holders are compared where either side holds at
 * least `minShare` of the case (the carry drops smaller residues by design, counted as pruned).
 */
export const reconcileCase = (
  carried: CaseFindings,
  traced: CaseFindings,
  minShare: number,
): CaseReconciliation => {
  const minPpm = BigInt(Math.round(minShare * 1_000_000));
  const seeded = traced.seeded > carried.seeded ? traced.seeded : carried.seeded;
  const material = (held: Record<SplittingRule, bigint>) =>
    SPLITTING_RULES.some((rule) => held[rule] > 0n && held[rule] * 1_000_000n >= minPpm * seeded);
  const carriedHeld = new Map(carried.holders.map((h) => [h.accountKey, h.held]));
  const tracedHeld = new Map(traced.holders.map((h) => [h.accountKey, h.held]));
  const holders: HolderDifference[] = [];
  for (const key of [...new Set([...carriedHeld.keys(), ...tracedHeld.keys()])].sort()) {
    const a = carriedHeld.get(key);
    const b = tracedHeld.get(key);
    if (!(a && material(a)) && !(b && material(b))) continue;
    if (a && b && SPLITTING_RULES.every((rule) => a[rule] === b[rule])) continue;
    holders.push({ accountKey: key, carried: text(a), traced: text(b) });
  }
  const carriedBorder = new Set(carried.crossBorder.keys());
  const tracedBorder = new Set(traced.crossBorder.keys());
  const carriedSuspicious = suspiciousOf(carried);
  const tracedSuspicious = suspiciousOf(traced);
  const result = {
    caseId: traced.caseId,
    crossBorderMissing: minus(tracedBorder, carriedBorder),
    crossBorderExtra: minus(carriedBorder, tracedBorder),
    suspiciousMissing: minus(tracedSuspicious, carriedSuspicious),
    suspiciousExtra: minus(carriedSuspicious, tracedSuspicious),
    holders,
  };
  const agrees =
    result.crossBorderMissing.length === 0 &&
    result.crossBorderExtra.length === 0 &&
    result.suspiciousMissing.length === 0 &&
    result.suspiciousExtra.length === 0 &&
    holders.length === 0;
  return { ...result, agrees };
};
