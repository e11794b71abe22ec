import type { AlertFact } from '@scamflow/contracts';
import type { FlowHop } from './flow-hop';

/**
 * One account's transfers in the search window, as the temporal adjacency holds them. A direction whose count
 * exceeds its listed transfers is a hub: its transfers were not read, only counted.
 */
export interface AccountAdjacency {
  readonly inbound: readonly FlowHop[];
  readonly outbound: readonly FlowHop[];
  readonly inboundCount: number;
  readonly outboundCount: number;
}

/** What the search has read so far: accounts absent from it are yet to be read (or beyond the hop bound). */
export type AdjacencyView = ReadonlyMap<string, AccountAdjacency>;

export const inboundIsHub = (a: AccountAdjacency): boolean => a.inboundCount > a.inbound.length;
export const outboundIsHub = (a: AccountAdjacency): boolean => a.outboundCount > a.outbound.length;

/** A pattern search's findings, the accounts it needs read to go one hop further, and the hubs it skipped. */
export interface SearchResult<F> {
  readonly findings: F[];
  readonly missing: Set<string>;
  /** Hub account → transfers it had in the window (in the direction the search wanted to follow). */
  readonly hubs: Map<string, number>;
}

export const emptySearch = <F>(): SearchResult<F> => ({ findings: [], missing: new Set(), hubs: new Map() });

/** The hub fact every network alert carries: which busy accounts the search did not follow, and why. */
export const hubFact = (hubs: ReadonlyMap<string, number>, maxDegree: number): AlertFact => {
  const listed = [...hubs]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([key, count]) => `${key} (${count} transfers)`);
  return {
    name: 'hubsNotFollowed',
    description:
      `accounts with more than ${maxDegree} transfers in one direction in the search window are summarised, ` +
      `not followed (payroll, merchants, exchanges)` +
      (listed.length > 0 ? `: ${listed.join(', ')}${hubs.size > listed.length ? ', …' : ''}` : ''),
    value: String(hubs.size),
    threshold: `<= ${maxDegree} transfers per account and direction`,
    fired: false,
    unit: 'accounts',
  };
};
