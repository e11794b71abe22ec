import type { AlertDraft } from '@scamflow/contracts';
import { emptySearch, hubFact, type AdjacencyView, type SearchResult } from './adjacency-view';
import { findBipartiteLayering, type BipartiteLayeringFinding } from './bipartite-layering.detector';
import type { FlowHop, NetworkAccount } from './flow-hop';
import {
  findLayeringChains,
  type LayeringChainFinding,
  type LayeringChainRule,
} from './layering-chain.detector';
import {
  buildBipartiteLayeringAlert,
  buildLayeringChainAlert,
  buildRoundTrippingAlert,
  buildScatterGatherAlert,
} from './network-alerts';
import type { NetworkRules } from './network-rules';
import { findRoundTrips, type RoundTrippingFinding } from './round-tripping.detector';
import { findScatterGathers, type ScatterGatherFinding } from './scatter-gather.detector';

/** Every network typology searched from one new transfer over what has been read so far. */
export interface EdgeSearch {
  readonly hop: FlowHop;
  readonly rules: NetworkRules;
  readonly chains: LayeringChainFinding[];
  readonly cycles: RoundTrippingFinding[];
  readonly scatterGathers: ScatterGatherFinding[];
  readonly bipartite: BipartiteLayeringFinding[];
  /** Accounts to read for the search to go one hop further. */
  readonly missing: Set<string>;
  readonly hubs: Map<string, number>;
}

export const searchAround = (hop: FlowHop, view: AdjacencyView, rules: NetworkRules): EdgeSearch => {
  const chains = findLayeringChains(hop, view, rules.chain);
  const cycles = findRoundTrips(hop, view, rules.cycle);
  const scatterGathers = findScatterGathers(hop, view, rules.scatterGather);
  const bipartite = findBipartiteLayering(hop, view, rules.bipartite);
  const parts = [chains, cycles, scatterGathers, bipartite];
  return {
    hop,
    rules,
    chains: chains.findings,
    cycles: cycles.findings,
    scatterGathers: scatterGathers.findings,
    bipartite: bipartite.findings,
    missing: new Set(parts.flatMap((p) => [...p.missing])),
    hubs: new Map(parts.flatMap((p) => [...p.hubs])),
  };
};

const idsOf = (hops: readonly FlowHop[]) =>
  hops
    .map((h) => h.transferId)
    .sort()
    .join('\n');

/** One finding per pattern (several transfers of a batch find the same one), with the search that found it. */
const unique = <F extends { readonly hops: readonly FlowHop[] }>(
  found: readonly { readonly finding: F; readonly search: EdgeSearch }[],
): { finding: F; search: EdgeSearch }[] => [
  ...new Map(found.map((f) => [idsOf(f.finding.hops), { finding: f.finding, search: f.search }])).values(),
];

/** Chains no other of the list contains (a 4-hop chain, not also its 3-hop parts), one per transfer set. */
const maximal = (found: readonly LayeringChainFinding[]): LayeringChainFinding[] => {
  const chains = [...new Map(found.map((f) => [idsOf(f.hops), f])).values()];
  const ids = chains.map((f) => new Set(f.hops.map((h) => h.transferId)));
  return chains.filter(
    (_, i) =>
      !ids.some(
        (other, j) => j !== i && other.size > ids[i]!.size && [...ids[i]!].every((id) => other.has(id)),
      ),
  );
};

/**
 * Every chain through an account as a middle account, searched from each transfer into it: an alert on the
 * account then shows all of them, whichever transfer (and whichever instance) completed the last one, so several
 * instances end on the same alert content as one.
 */
export const chainsThrough = (
  accountKey: string,
  view: AdjacencyView,
  rule: LayeringChainRule,
): SearchResult<LayeringChainFinding> => {
  const result = emptySearch<LayeringChainFinding>();
  const adjacency = view.get(accountKey);
  if (!adjacency) {
    result.missing.add(accountKey);
    return result;
  }
  const found: LayeringChainFinding[] = [];
  for (const edge of adjacency.inbound) {
    const search = findLayeringChains(edge, view, rule);
    for (const key of search.missing) result.missing.add(key);
    for (const [key, count] of search.hubs) result.hubs.set(key, count);
    found.push(...search.findings.filter((f) => f.intermediateKeys.includes(accountKey)));
  }
  result.findings.push(...maximal(found));
  return result;
};

/**
 * Alert drafts of a batch's searches: one per subject and typology. Each names the transfer whose search found
 * it as its trigger, and says which hubs the search summarised instead of following.
 */
export const draftsOf = (
  searches: readonly EdgeSearch[],
  accounts: ReadonlyMap<string, NetworkAccount>,
  /** Every chain through each alerted middle account (`chainsThrough`); else the batch's own findings. */
  chainsByAccount: ReadonlyMap<string, readonly LayeringChainFinding[]> = new Map(),
): AlertDraft[] => {
  const drafts: AlertDraft[] = [];
  const withTrigger = (draft: AlertDraft, search: EdgeSearch): AlertDraft => ({
    ...draft,
    trigger: { transferId: search.hop.transferId },
  });
  const hubs = (search: EdgeSearch) => [hubFact(search.hubs, search.rules.maxDegree)];

  const chains = unique(searches.flatMap((search) => search.chains.map((finding) => ({ finding, search }))));
  const throughAccount = new Map<string, { finding: LayeringChainFinding; search: EdgeSearch }[]>();
  for (const found of chains) {
    for (const key of found.finding.intermediateKeys) {
      throughAccount.set(key, [...(throughAccount.get(key) ?? []), found]);
    }
  }
  for (const [key, found] of throughAccount) {
    const completed = chainsByAccount.get(key) ?? [];
    const findings = maximal([...found.map((f) => f.finding), ...completed]);
    const onPaths = new Set(findings.flatMap((f) => f.hops.flatMap((h) => [h.fromKey, h.toKey])));
    const involved = new Map([...onPaths].map((k) => [k, accounts.get(k) ?? accountOf(k)]));
    const search = found.at(-1)!.search;
    drafts.push(
      withTrigger(
        buildLayeringChainAlert(accounts.get(key) ?? accountOf(key), findings, involved, hubs(search)),
        search,
      ),
    );
  }

  for (const { finding, search } of unique(
    searches.flatMap((s) => s.cycles.map((finding) => ({ finding, search: s }))),
  )) {
    const onCycle = new Set(finding.hops.map((h) => h.fromKey));
    const involved = new Map([...onCycle].map((k) => [k, accounts.get(k) ?? accountOf(k)]));
    drafts.push(withTrigger(buildRoundTrippingAlert(finding, involved, hubs(search)), search));
  }

  for (const { finding, search } of unique(
    searches.flatMap((s) => s.scatterGathers.map((finding) => ({ finding, search: s }))),
  )) {
    for (const subject of [...finding.intermediaryKeys, finding.sinkKey]) {
      drafts.push(withTrigger(buildScatterGatherAlert(subject, finding, accounts, hubs(search)), search));
    }
  }

  for (const { finding, search } of unique(
    searches.flatMap((s) => s.bipartite.map((finding) => ({ finding, search: s }))),
  )) {
    for (const subject of finding.sinkKeys) {
      drafts.push(withTrigger(buildBipartiteLayeringAlert(subject, finding, accounts, hubs(search)), search));
    }
  }
  return drafts;
};

const accountOf = (accountKey: string): NetworkAccount => ({
  accountKey,
  accountId: null,
  institutionId: null,
  country: null,
  kind: null,
});
