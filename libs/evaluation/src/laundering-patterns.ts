/** One labelled laundering transaction: sender and receiver account keys, event time. */
export interface LaunderingEdge {
  readonly from: string;
  readonly to: string;
  readonly atMs: number;
}

export type DerivedPattern = 'cycle' | 'fan-in' | 'fan-out' | 'chain' | 'other';

/** Cycles are looked for up to this many laundering hops back to the sender. */
const MAX_CYCLE_HOPS = 6;
/** Fan-in / fan-out: this many distinct laundering counterparties on one side of an account. */
const MIN_FAN = 3;

/**
 * The shape of the labelled laundering subgraph around each laundering transaction, first match in this order:
 * `cycle` (the receiver reaches the sender again over laundering transfers within 6 hops), `fan-in` (the receiver
 * takes laundering money from >= 3 accounts), `fan-out` (the sender pays >= 3), `chain` (money came into the
 * sender and leaves the receiver over laundering transfers), `other`. A description of the labels, not the
 * simulator's own pattern names.
 */
export const derivePatternTypes = (
  edges: ReadonlyMap<number, LaunderingEdge>,
): Map<number, DerivedPattern> => {
  const out = new Map<string, Set<string>>();
  const into = new Map<string, Set<string>>();
  for (const { from, to } of edges.values()) {
    out.set(from, (out.get(from) ?? new Set()).add(to));
    into.set(to, (into.get(to) ?? new Set()).add(from));
  }
  const reaches = (start: string, target: string): boolean => {
    let frontier = new Set([start]);
    const seen = new Set([start]);
    for (let hop = 0; hop < MAX_CYCLE_HOPS && frontier.size > 0; hop += 1) {
      const next = new Set<string>();
      for (const account of frontier) {
        for (const to of out.get(account) ?? []) {
          if (to === target) return true;
          if (!seen.has(to)) {
            seen.add(to);
            next.add(to);
          }
        }
      }
      frontier = next;
    }
    return false;
  };
  const patterns = new Map<number, DerivedPattern>();
  for (const [row, { from, to }] of edges) {
    const pattern: DerivedPattern =
      from !== to && reaches(to, from)
        ? 'cycle'
        : (into.get(to)?.size ?? 0) >= MIN_FAN
          ? 'fan-in'
          : (out.get(from)?.size ?? 0) >= MIN_FAN
            ? 'fan-out'
            : (into.get(from)?.size ?? 0) > 0 && (out.get(to)?.size ?? 0) > 0
              ? 'chain'
              : 'other';
    patterns.set(row, pattern);
  }
  return patterns;
};
