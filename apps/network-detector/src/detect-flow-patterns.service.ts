import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import type { AlertDraft } from '@scamflow/contracts';
import { NetworkPatternRepository, type FlowPatternQuery, type GraphAccount } from '@scamflow/graph';
import { toFlowHop } from './flow-hop';
import {
  evaluateLayeringChain,
  type LayeringChainFinding,
  type LayeringChainRule,
} from './layering-chain.detector';
import { buildLayeringChainAlert, buildRoundTrippingAlert } from './network-alerts';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';
import { evaluateRoundTripping, type RoundTrippingRule } from './round-tripping.detector';

/**
 * Layering chains and round trips among committed transfers: one graph query per committed message for the
 * paths those transfers end or close, then the pure detectors decide on exact amounts.
 */
@Injectable()
export class DetectFlowPatternsService {
  private readonly chainRule: LayeringChainRule;
  private readonly cycleRule: RoundTrippingRule;
  private readonly query: FlowPatternQuery;

  constructor(
    @Inject(NetworkPatternRepository) private readonly patterns: NetworkPatternRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(NETWORK_DETECTOR_CONFIG) config: NetworkDetectorConfig,
  ) {
    this.chainRule = {
      minHops: config.LAYERING_MIN_HOPS,
      maxGapMs: config.LAYERING_MAX_GAP_MS,
      minKeptRatio: config.LAYERING_MIN_KEPT_RATIO,
      maxGainRatio: config.LAYERING_MAX_GAIN_RATIO,
    };
    this.cycleRule = {
      minHops: config.ROUND_TRIP_MIN_HOPS,
      maxHops: 4,
      windowMs: config.ROUND_TRIP_WINDOW_MS,
      minReturnedRatio: config.ROUND_TRIP_MIN_RETURNED_RATIO,
      maxGainRatio: config.LAYERING_MAX_GAIN_RATIO,
    };
    this.query = {
      maxDegree: config.NETWORK_MAX_ACCOUNT_DEGREE,
      maxGapMs: this.chainRule.maxGapMs,
      minKeptRatio: this.chainRule.minKeptRatio,
      maxGainRatio: this.chainRule.maxGainRatio,
      cycleWindowMs: this.cycleRule.windowMs,
      minReturnedRatio: this.cycleRule.minReturnedRatio,
      maxPathsPerTransfer: config.NETWORK_MAX_PATHS_PER_TRANSFER,
    };
  }

  async execute(transferIds: readonly string[], now: Date = new Date()): Promise<void> {
    const found = await this.patterns.findChainsAndCycles(transferIds, this.query);
    const accounts = new Map<string, GraphAccount>();
    const chainsThrough = new Map<string, LayeringChainFinding[]>();
    const drafts: AlertDraft[] = [];
    for (const pattern of found) {
      for (const hop of pattern.hops) {
        accounts.set(hop.from.accountKey, hop.from);
        accounts.set(hop.to.accountKey, hop.to);
      }
      const hops = pattern.hops.map(toFlowHop);
      if (pattern.kind === 'chain') {
        const finding = evaluateLayeringChain(hops, this.chainRule);
        if (!finding?.fired) continue;
        for (const key of finding.intermediateKeys)
          chainsThrough.set(key, [...(chainsThrough.get(key) ?? []), finding]);
      } else {
        const finding = evaluateRoundTripping(hops, this.cycleRule);
        if (!finding?.fired) continue;
        const involved = new Map([...accounts].filter(([key]) => hops.some((h) => h.fromKey === key)));
        drafts.push(buildRoundTrippingAlert(finding, involved));
      }
    }
    for (const [key, findings] of chainsThrough) {
      const onPaths = new Set(findings.flatMap((f) => f.hops.flatMap((h) => [h.fromKey, h.toKey])));
      const involved = new Map([...accounts].filter(([k]) => onPaths.has(k)));
      drafts.push(buildLayeringChainAlert(accounts.get(key)!, findings, involved));
    }
    await this.alerts.issue(drafts, now);
  }
}
