import type { DetectionProfile } from '@scamflow/detection-profiles';
import type { BipartiteLayeringRule } from './bipartite-layering.detector';
import type { LayeringChainRule } from './layering-chain.detector';
import type { RoundTrippingRule } from './round-tripping.detector';
import type { ScatterGatherRule } from './scatter-gather.detector';

/** Every network typology's rule for one detection profile. */
export interface NetworkRules {
  readonly profileName: string;
  readonly chain: LayeringChainRule;
  readonly cycle: RoundTrippingRule;
  readonly scatterGather: ScatterGatherRule;
  readonly bipartite: BipartiteLayeringRule;
  /** A direction with more transfers than this in the read window is a hub (counted, not read). */
  readonly maxDegree: number;
  /** How far either side of a new transfer any of its patterns can reach. */
  readonly reachMs: number;
  /** Per account and direction, edges kept at most (never below the hub limit: trimming only touches hubs). */
  readonly maxStoredEdges: number;
  /** Edges are kept this long before the account's latest event: the widest window plus the allowed lateness. */
  readonly retentionMs: number;
}

export const networkRulesOf = (profile: DetectionProfile): NetworkRules => {
  const maxPathsPerSide = profile.network.maxPathsPerTransfer;
  // Sets (scatter-gather's intermediaries, a bipartite block's payers) are a few accounts to a few dozen; a
  // busier account is summarised like a hub rather than costing one read per counterparty.
  const maxCandidates = 5 * maxPathsPerSide;
  const maxGainRatio = profile.layeringChain.maxGainRatio;
  // A chain's hop must carry mostly the money the previous hop brought (more than any other income of the account
  // in the gap), or a busy account's unrelated payments of a similar size would make chains by coincidence.
  const chain = { ...profile.layeringChain, maxPathsPerSide, minSourceShare: 0.5 };
  const reachMs = Math.max(
    (chain.maxHops - 1) * chain.maxGapMs,
    profile.cycle.windowMs,
    profile.scatterGather.windowMs,
    2 * profile.bipartite.windowMs,
  );
  return {
    profileName: profile.name,
    chain,
    // Each hop of a cycle keeps what a chain's hop keeps (a mule takes at most its cut); the whole returns the
    // cycle's share.
    cycle: { ...profile.cycle, maxGainRatio, maxPathsPerSide, minHopKeptRatio: chain.minKeptRatio },
    scatterGather: { ...profile.scatterGather, maxGainRatio, maxCandidates },
    // Sinks must pass on what the gathered share asks of a scatter-gather's intermediaries.
    bipartite: {
      ...profile.bipartite,
      minPassedOnShare: profile.scatterGather.minGatheredShare,
      maxGainRatio,
      maxCandidates,
    },
    maxDegree: profile.network.maxAccountDegree,
    reachMs,
    maxStoredEdges: Math.max(profile.memory.maxLegsPerAccountSide, profile.network.maxAccountDegree + 1),
    retentionMs: reachMs + profile.eventTime.allowedLatenessMs,
  };
};
