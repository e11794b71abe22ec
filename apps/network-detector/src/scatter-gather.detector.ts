import type { AlertFact } from '@scamflow/contracts';
import { INSTANT_PAYMENTS_PROFILE, type ScatterGatherProfile } from '@scamflow/detection-profiles';
import {
  emptySearch,
  inboundIsHub,
  outboundIsHub,
  type AdjacencyView,
  type SearchResult,
} from './adjacency-view';
import { cappedShare, comparableSums, minutes, type FlowHop } from './flow-hop';

/** The profile's scatter-gather bounds and the gain limit of the chain rule. */
export interface ScatterGatherRule extends ScatterGatherProfile {
  /** An intermediary passing on more than this multiple of what it got is spending its own money. */
  readonly maxGainRatio: number;
  /**
   * A source paying, or a sink paid by, more distinct accounts than this in the window is not searched as one
   * (a shop's customers, a company's suppliers): reading them all would cost one account read each.
   */
  readonly maxCandidates: number;
}

export const DEFAULT_SCATTER_GATHER_RULE: ScatterGatherRule = {
  ...INSTANT_PAYMENTS_PROFILE.scatterGather,
  maxGainRatio: INSTANT_PAYMENTS_PROFILE.layeringChain.maxGainRatio,
  maxCandidates: 5 * INSTANT_PAYMENTS_PROFILE.network.maxPathsPerTransfer,
};

export interface ScatterGatherFinding {
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly sourceKey: string;
  readonly sinkKey: string;
  /** Intermediaries that took from the source and passed on to the sink (sorted). */
  readonly intermediaryKeys: string[];
  /** Scatter legs then gather legs of those intermediaries, in time order. */
  readonly hops: FlowHop[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * Scatter-gather: one source pays several intermediaries, each of which passes most of it on to one sink, all
 * within the window. `legs` are the candidate transfers source → intermediary and intermediary → sink; an
 * intermediary counts when its gather legs (booked after its first scatter leg) carry between the gathered
 * share and the gain limit of what it got. Repayments (the sink is the source) are not scatter-gather.
 */
export const evaluateScatterGather = (
  sourceKey: string,
  sinkKey: string,
  legs: readonly FlowHop[],
  rule: ScatterGatherRule,
): ScatterGatherFinding => {
  const byIntermediary = new Map<string, { scatter: FlowHop[]; gather: FlowHop[] }>();
  for (const leg of legs) {
    const key = leg.fromKey === sourceKey ? leg.toKey : leg.toKey === sinkKey ? leg.fromKey : undefined;
    if (key === undefined || key === sourceKey || key === sinkKey) continue;
    const entry = byIntermediary.get(key) ?? { scatter: [], gather: [] };
    if (leg.fromKey === sourceKey && leg.toKey === key) entry.scatter.push(leg);
    else if (leg.fromKey === key && leg.toKey === sinkKey) entry.gather.push(leg);
    byIntermediary.set(key, entry);
  }
  const counted: { key: string; scatter: FlowHop[]; gather: FlowHop[] }[] = [];
  for (const [key, { scatter, gather }] of byIntermediary) {
    if (scatter.length === 0) continue;
    const firstIn = Math.min(...scatter.map((h) => h.atMs));
    const onward = gather.filter((h) => h.atMs >= firstIn);
    const sums = comparableSums(scatter, onward);
    if (onward.length === 0 || !sums || sums.a === 0n) continue;
    const ratio = Number((sums.b * 1_000_000n) / sums.a) / 1_000_000;
    if (ratio >= rule.minGatheredShare && ratio <= rule.maxGainRatio)
      counted.push({ key, scatter, gather: onward });
  }
  counted.sort((a, b) => a.key.localeCompare(b.key));
  const hops = counted
    .flatMap((c) => [...c.scatter, ...c.gather])
    .sort((a, b) => a.atMs - b.atMs || a.transferId.localeCompare(b.transferId));
  const scattered = counted.flatMap((c) => c.scatter);
  const gathered = counted.flatMap((c) => c.gather);
  const sums = comparableSums(scattered, gathered);
  const share = sums ? cappedShare(sums.b, sums.a) : 0;
  const firstSeenMs = hops[0]?.atMs ?? 0;
  const lastSeenMs = hops.at(-1)?.atMs ?? 0;
  const spanMs = lastSeenMs - firstSeenMs;

  const countFired = counted.length >= rule.minIntermediaries;
  const shareFired = share >= rule.minGatheredShare;
  const spanFired = spanMs <= rule.windowMs;
  const facts: AlertFact[] = [
    {
      name: 'intermediaries',
      description: 'accounts paid by the source that passed most of it on to the same sink',
      value: String(counted.length),
      threshold: `>= ${rule.minIntermediaries}`,
      fired: countFired,
      unit: 'accounts',
    },
    {
      name: 'gatheredShare',
      description:
        "share of the intermediaries' takings from the source that reached the sink (capped at 1: an " +
        'intermediary may add money of its own)',
      value: share.toFixed(3),
      threshold: `>= ${rule.minGatheredShare}`,
      fired: shareFired,
      unit: 'share (0-1)',
    },
    {
      name: 'scatterToGatherMinutes',
      description: 'time from the first scatter transfer to the last gather transfer',
      value: minutes(spanMs),
      threshold: `<= ${minutes(rule.windowMs)}`,
      fired: spanFired,
      unit: 'minutes',
    },
  ];
  const fired = countFired && shareFired && spanFired;
  const breadth = Math.min(1, (counted.length - rule.minIntermediaries + 1) / 3);
  const speed = 1 - Math.min(1, spanMs / rule.windowMs);
  const score = fired ? Math.min(1, 0.6 + 0.15 * breadth + 0.1 * share + 0.15 * speed) : 0;
  return {
    fired,
    score: Number(score.toFixed(3)),
    facts,
    sourceKey,
    sinkKey,
    intermediaryKeys: counted.map((c) => c.key),
    hops,
    firstSeenMs,
    lastSeenMs,
  };
};

const within = (edge: FlowHop, windowMs: number) => (h: FlowHop) => Math.abs(h.atMs - edge.atMs) <= windowMs;

/**
 * Scatter-gathers a new transfer belongs to, as a scatter leg (its sender is the source: the intermediaries'
 * onward transfers are read) or as a gather leg (its receiver is the sink: the intermediaries' takings are
 * read). Only looked for when the source pays, or the sink is paid by, enough accounts in the window.
 */
export const findScatterGathers = (
  edge: FlowHop,
  view: AdjacencyView,
  rule: ScatterGatherRule,
): SearchResult<ScatterGatherFinding> => {
  const result = emptySearch<ScatterGatherFinding>();
  if (edge.fromKey === edge.toKey) return result;
  const near = within(edge, rule.windowMs);
  const candidates = new Map<string, { source: string; sink: string; legs: FlowHop[] }>();
  /** Read and not a hub in that direction; records what is missing or a hub. */
  const readable = (key: string, direction: 'inbound' | 'outbound'): boolean => {
    const adjacency = view.get(key);
    if (!adjacency) {
      result.missing.add(key);
      return false;
    }
    const hub = direction === 'inbound' ? inboundIsHub(adjacency) : outboundIsHub(adjacency);
    if (hub) result.hubs.set(key, direction === 'inbound' ? adjacency.inboundCount : adjacency.outboundCount);
    return !hub;
  };
  const addLegs = (source: string, sink: string, legs: readonly FlowHop[]) => {
    const key = `${source}\n${sink}`;
    const entry = candidates.get(key) ?? { source, sink, legs: [] };
    entry.legs.push(...legs);
    candidates.set(key, entry);
  };

  // The new transfer as a scatter leg: source = its sender.
  const source = view.get(edge.fromKey);
  if (source && outboundIsHub(source)) result.hubs.set(edge.fromKey, source.outboundCount);
  else if (!source) result.missing.add(edge.fromKey);
  else {
    const scatter = source.outbound.filter(near);
    const intermediaries = [...new Set(scatter.map((h) => h.toKey))];
    if (intermediaries.length > rule.maxCandidates) result.hubs.set(edge.fromKey, intermediaries.length);
    else if (intermediaries.length >= rule.minIntermediaries) {
      const bySink = new Map<string, FlowHop[]>();
      for (const key of intermediaries) {
        const adjacency = view.get(key);
        if (!adjacency) {
          result.missing.add(key);
          continue;
        }
        if (outboundIsHub(adjacency)) {
          result.hubs.set(key, adjacency.outboundCount);
          continue;
        }
        for (const h of adjacency.outbound.filter(near))
          bySink.set(h.toKey, [...(bySink.get(h.toKey) ?? []), h]);
      }
      for (const [sink, gather] of bySink) {
        if (sink === edge.fromKey || new Set(gather.map((h) => h.fromKey)).size < rule.minIntermediaries)
          continue;
        // A sink paid by everyone (a shop, a university, an exchange) gathers nothing suspicious.
        if (!readable(sink, 'inbound')) continue;
        addLegs(edge.fromKey, sink, [...scatter, ...gather]);
      }
    }
  }

  // The new transfer as a gather leg: sink = its receiver.
  const sink = view.get(edge.toKey);
  if (sink && inboundIsHub(sink)) result.hubs.set(edge.toKey, sink.inboundCount);
  else if (!sink) result.missing.add(edge.toKey);
  else {
    const gather = sink.inbound.filter(near);
    const intermediaries = [...new Set(gather.map((h) => h.fromKey))];
    if (intermediaries.length > rule.maxCandidates) result.hubs.set(edge.toKey, intermediaries.length);
    else if (intermediaries.length >= rule.minIntermediaries) {
      const bySource = new Map<string, FlowHop[]>();
      for (const key of intermediaries) {
        const adjacency = view.get(key);
        if (!adjacency) {
          result.missing.add(key);
          continue;
        }
        if (inboundIsHub(adjacency)) {
          result.hubs.set(key, adjacency.inboundCount);
          continue;
        }
        for (const h of adjacency.inbound.filter(near))
          bySource.set(h.fromKey, [...(bySource.get(h.fromKey) ?? []), h]);
      }
      for (const [from, scatter] of bySource) {
        if (from === edge.toKey || new Set(scatter.map((h) => h.toKey)).size < rule.minIntermediaries)
          continue;
        // A source paying everyone (an employer's payroll run) scatters nothing suspicious.
        if (!readable(from, 'outbound')) continue;
        addLegs(from, edge.toKey, [...scatter, ...gather]);
      }
    }
  }

  for (const { source: from, sink: to, legs } of candidates.values()) {
    const unique = [...new Map(legs.map((h) => [h.transferId, h])).values()];
    const finding = evaluateScatterGather(from, to, unique, rule);
    if (finding.fired && finding.hops.some((h) => h.transferId === edge.transferId))
      result.findings.push(finding);
  }
  return result;
};
