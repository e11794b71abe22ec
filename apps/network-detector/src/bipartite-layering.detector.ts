import type { AlertFact } from '@scamflow/contracts';
import { INSTANT_PAYMENTS_PROFILE, type BipartiteProfile } from '@scamflow/detection-profiles';
import {
  emptySearch,
  inboundIsHub,
  outboundIsHub,
  type AdjacencyView,
  type SearchResult,
} from './adjacency-view';
import { cappedShare, comparableSums, minutes, type FlowHop } from './flow-hop';

/** The profile's bipartite bounds, and how much of the block's money its sinks must pass on. */
export interface BipartiteLayeringRule extends BipartiteProfile {
  /**
   * Share of what the sinks took from the sources that they passed on within the window. Flatmates paying the
   * same landlord, cleaner and internet provider form a dense block too, but the money stops there.
   */
  readonly minPassedOnShare: number;
  /** A sink paying on more than this multiple of what it took is spending its own money, not passing it on. */
  readonly maxGainRatio: number;
  /** An account paid by more distinct accounts than this in the window is not searched as a sink (a shop). */
  readonly maxCandidates: number;
}

export const DEFAULT_BIPARTITE_LAYERING_RULE: BipartiteLayeringRule = {
  ...INSTANT_PAYMENTS_PROFILE.bipartite,
  minPassedOnShare: INSTANT_PAYMENTS_PROFILE.scatterGather.minGatheredShare,
  maxGainRatio: INSTANT_PAYMENTS_PROFILE.layeringChain.maxGainRatio,
  maxCandidates: 5 * INSTANT_PAYMENTS_PROFILE.network.maxPathsPerTransfer,
};

export interface BipartiteLayeringFinding {
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  /** Accounts paying the block (sorted). */
  readonly sourceKeys: string[];
  /** Accounts paid by the block, which passed the money on (sorted): the layer the alert names. */
  readonly sinkKeys: string[];
  /** Accounts paid by at least two sinks: the next stacked layer (sorted; empty when none). */
  readonly nextLayerKeys: string[];
  /** Source → sink transfers, then the sinks' onward transfers, in time order. */
  readonly hops: FlowHop[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

const byTime = (a: FlowHop, b: FlowHop) => a.atMs - b.atMs || a.transferId.localeCompare(b.transferId);

/**
 * Bipartite layering: a set of sources pays a set of sinks densely (many of the possible pairs) within one window,
 * and each sink passes on what it took (a conduit: between the passed-on share and the gain limit of it, within a
 * window of its last takings); stacked when the conduits in turn pay a common next layer. `blockLegs` are
 * source → sink transfers, `onwardLegs` the sinks' outgoing transfers. Sinks that keep the money (a landlord, a
 * shop) or pay out far more than they took (spending their own money) are not part of the block.
 */
export const evaluateBipartiteLayering = (
  blockLegs: readonly FlowHop[],
  onwardLegs: readonly FlowHop[],
  rule: BipartiteLayeringRule,
): BipartiteLayeringFinding => {
  const payers = new Set(blockLegs.map((h) => h.fromKey));
  const conduits = new Map<string, { into: FlowHop[]; onward: FlowHop[] }>();
  for (const sink of new Set(blockLegs.map((h) => h.toKey))) {
    const into = blockLegs.filter((h) => h.toKey === sink);
    const first = Math.min(...into.map((h) => h.atMs));
    const last = Math.max(...into.map((h) => h.atMs));
    const onward = onwardLegs.filter(
      (h) => h.fromKey === sink && h.atMs >= first && h.atMs <= last + rule.windowMs && !payers.has(h.toKey),
    );
    const sums = comparableSums(into, onward);
    if (!sums || sums.a === 0n) continue;
    const ratio = Number((sums.b * 1_000_000n) / sums.a) / 1_000_000;
    if (ratio >= rule.minPassedOnShare && ratio <= rule.maxGainRatio) conduits.set(sink, { into, onward });
  }
  const block = [...conduits.values()].flatMap((c) => c.into);
  const onward = [...conduits.values()].flatMap((c) => c.onward);
  const sources = [...new Set(block.map((h) => h.fromKey))].sort();
  const sinks = [...conduits.keys()].sort();
  const pairs = new Set(block.map((h) => `${h.fromKey}\n${h.toKey}`));
  const density = sources.length * sinks.length === 0 ? 0 : pairs.size / (sources.length * sinks.length);
  const sums = comparableSums(block, onward);
  const passedOn = sums ? cappedShare(sums.b, sums.a) : 0;
  const payersOf = new Map<string, Set<string>>();
  for (const h of onward) payersOf.set(h.toKey, (payersOf.get(h.toKey) ?? new Set()).add(h.fromKey));
  const nextLayer = [...payersOf]
    .filter(([key, from]) => from.size >= 2 && !conduits.has(key))
    .map(([key]) => key)
    .sort();
  const layers = nextLayer.length >= rule.minSinks ? Math.min(3, rule.maxLayers) : 2;
  const hops = [...block, ...onward].sort(byTime);
  const firstSeenMs = hops[0]?.atMs ?? 0;
  const lastSeenMs = hops.at(-1)?.atMs ?? 0;
  const blockTimes = block.map((h) => h.atMs);
  const blockSpanMs = block.length === 0 ? 0 : Math.max(...blockTimes) - Math.min(...blockTimes);

  const sourcesFired = sources.length >= rule.minSources;
  const sinksFired = sinks.length >= rule.minSinks;
  const densityFired = density >= rule.minPairDensity;
  const passedFired = sinks.length > 0 && passedOn >= rule.minPassedOnShare;
  const spanFired = blockSpanMs <= rule.windowMs;
  const facts: AlertFact[] = [
    {
      name: 'sources',
      description: 'accounts paying the set of sinks',
      value: String(sources.length),
      threshold: `>= ${rule.minSources}`,
      fired: sourcesFired,
      unit: 'accounts',
    },
    {
      name: 'sinks',
      description:
        'accounts paid by at least two of the sources that passed on what they took (between ' +
        `${rule.minPassedOnShare} and ${rule.maxGainRatio} of it)`,
      value: String(sinks.length),
      threshold: `>= ${rule.minSinks}`,
      fired: sinksFired,
      unit: 'accounts',
    },
    {
      name: 'pairDensity',
      description: 'share of the possible source → sink pairs that did pay',
      value: density.toFixed(3),
      threshold: `>= ${rule.minPairDensity}`,
      fired: densityFired,
      unit: 'share (0-1)',
    },
    {
      name: 'passedOnShare',
      description:
        'share of what the sinks took from the sources that they paid on to others (capped at 1: a sink may ' +
        'add money of its own)',
      value: passedOn.toFixed(3),
      threshold: `>= ${rule.minPassedOnShare}`,
      fired: passedFired,
      unit: 'share (0-1)',
    },
    {
      name: 'stackedLayers',
      description: `layers of accounts the money crossed as sets (3: the sinks paid a common next layer of ${rule.minSinks} or more)`,
      value: String(layers),
      threshold: '>= 2',
      fired: true,
      unit: 'layers',
    },
    {
      name: 'blockMinutes',
      description: 'time from the first to the last source → sink transfer',
      value: minutes(blockSpanMs),
      threshold: `<= ${minutes(rule.windowMs)}`,
      fired: spanFired,
      unit: 'minutes',
    },
  ];
  const fired = sourcesFired && sinksFired && densityFired && passedFired && spanFired;
  const size = Math.min(1, (sources.length + sinks.length - rule.minSources - rule.minSinks + 1) / 4);
  const score = fired
    ? Math.min(1, 0.6 + 0.1 * size + 0.1 * density + 0.1 * passedOn + (layers > 2 ? 0.1 : 0))
    : 0;
  return {
    fired,
    score: Number(score.toFixed(3)),
    facts,
    sourceKeys: sources,
    sinkKeys: sinks,
    nextLayerKeys: nextLayer,
    hops,
    firstSeenMs,
    lastSeenMs,
  };
};

/**
 * Bipartite blocks a new transfer belongs to, as a source → sink transfer (anchored at its receiver) or as a
 * sink's onward transfer (anchored at its sender): the anchor's payers are read, then everything they paid;
 * sinks are the accounts paid by at least two of them, and their onward transfers are read last.
 */
export const findBipartiteLayering = (
  edge: FlowHop,
  view: AdjacencyView,
  rule: BipartiteLayeringRule,
): SearchResult<BipartiteLayeringFinding> => {
  const result = emptySearch<BipartiteLayeringFinding>();
  if (edge.fromKey === edge.toKey) return result;
  const near = (h: FlowHop) => Math.abs(h.atMs - edge.atMs) <= rule.windowMs;
  const seenBlocks = new Set<string>();
  for (const anchor of [edge.toKey, edge.fromKey]) {
    const sink = view.get(anchor);
    if (!sink) {
      result.missing.add(anchor);
      continue;
    }
    if (inboundIsHub(sink)) {
      result.hubs.set(anchor, sink.inboundCount);
      continue;
    }
    const payers = [...new Set(sink.inbound.filter(near).map((h) => h.fromKey))];
    if (payers.length > rule.maxCandidates) {
      result.hubs.set(anchor, payers.length);
      continue;
    }
    if (payers.length < rule.minSources) continue;
    const legs: FlowHop[] = [];
    for (const key of payers) {
      const adjacency = view.get(key);
      if (!adjacency) result.missing.add(key);
      else if (outboundIsHub(adjacency)) result.hubs.set(key, adjacency.outboundCount);
      else legs.push(...adjacency.outbound.filter(near));
    }
    const payersOf = new Map<string, Set<string>>();
    for (const h of legs) payersOf.set(h.toKey, (payersOf.get(h.toKey) ?? new Set()).add(h.fromKey));
    const sinks = new Set(
      [...payersOf].filter(([key, from]) => from.size >= 2 && !payers.includes(key)).map(([key]) => key),
    );
    if (sinks.size < rule.minSinks) continue;
    const onward: FlowHop[] = [];
    for (const key of sinks) {
      const adjacency = view.get(key);
      if (!adjacency) result.missing.add(key);
      else if (outboundIsHub(adjacency)) {
        result.hubs.set(key, adjacency.outboundCount);
        sinks.delete(key);
      } else
        onward.push(...adjacency.outbound.filter((h) => Math.abs(h.atMs - edge.atMs) <= 2 * rule.windowMs));
    }
    const block = legs.filter((h) => sinks.has(h.toKey));
    const blockKey = [...new Set(block.map((h) => h.transferId))].sort().join('\n');
    if (seenBlocks.has(blockKey)) continue;
    seenBlocks.add(blockKey);
    const finding = evaluateBipartiteLayering(
      [...new Map(block.map((h) => [h.transferId, h])).values()],
      [...new Map(onward.map((h) => [h.transferId, h])).values()],
      rule,
    );
    if (finding.fired && finding.hops.some((h) => h.transferId === edge.transferId))
      result.findings.push(finding);
  }
  return result;
};
