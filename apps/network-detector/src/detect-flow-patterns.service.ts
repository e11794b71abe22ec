import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { TransferAcceptedSchema, type AccountRef, type TransferAccepted } from '@scamflow/contracts';
import {
  DETECTION_PROFILES,
  detectionProfileSelectionOf,
  profileFor,
  profilesIn,
  type DetectionProfileSelection,
} from '@scamflow/detection-profiles';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import {
  TemporalAdjacencyRepository,
  type AccountAdjacencyRead,
  type AdjacencyEdge,
} from '@scamflow/rolling-state';
import type { AccountAdjacency } from './adjacency-view';
import type { FlowHop, NetworkAccount } from './flow-hop';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';
import type { LayeringChainFinding } from './layering-chain.detector';
import { chainsThrough, draftsOf, searchAround, type EdgeSearch } from './network-search';
import { networkRulesOf, type NetworkRules } from './network-rules';

const edgeOf = (t: TransferAccepted): AdjacencyEdge => ({
  transferId: t.transferId,
  from: { accountKey: t.debtor.accountKey, country: t.debtor.country, kind: t.debtor.kind ?? '' },
  to: { accountKey: t.creditor.accountKey, country: t.creditor.country, kind: t.creditor.kind ?? '' },
  atMs: Date.parse(t.bookedAt),
  amountMinor: t.amount.amountMinor,
  currency: t.amount.currency,
  scale: t.amount.scale,
  ...(t.reference?.status === 'converted' ? { refAmountMinor: t.reference.amount.amountMinor } : {}),
});

const hopOf = (e: AdjacencyEdge): FlowHop => ({
  transferId: e.transferId,
  fromKey: e.from.accountKey,
  toKey: e.to.accountKey,
  atMs: e.atMs,
  amountMinor: BigInt(e.amountMinor),
  currency: e.currency,
  scale: e.scale,
  refAmountMinor: e.refAmountMinor === undefined ? null : BigInt(e.refAmountMinor),
});

const adjacencyOf = (read: AccountAdjacencyRead): AccountAdjacency => ({
  inbound: read.inbound.map(hopOf),
  outbound: read.outbound.map(hopOf),
  inboundCount: read.inboundCount,
  outboundCount: read.outboundCount,
});

const accountOfRef = (ref: AccountRef): NetworkAccount => ({
  accountKey: ref.accountKey,
  accountId: ref.accountId,
  institutionId: ref.institutionId,
  country: ref.country,
  kind: ref.kind ?? null,
});

/**
 * Network typologies on the accepted-transfer stream, without the graph: each transfer is added to its two
 * accounts' temporal adjacency in Redis, then every transfer of the batch is searched from, hop by hop, with one
 * pipelined read per hop for all the batch's searches. Writing before searching makes several instances agree:
 * of two transfers of one pattern handled at once by two instances, each is written before either searches, so
 * at least the later search sees both, whichever instance runs it, and the searches go backward and forward.
 */
@Injectable()
export class DetectFlowPatternsService {
  private readonly selection: DetectionProfileSelection;
  private readonly rulesByProfile: ReadonlyMap<string, NetworkRules>;
  /** State is kept for the widest of the profiles in use. */
  private readonly storage: { readonly retentionMs: number; readonly maxEdgesPerAccount: number };
  private readonly reachMs: number;
  private readonly readLimit: number;

  constructor(
    @Inject(TemporalAdjacencyRepository) private readonly adjacency: TemporalAdjacencyRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(NETWORK_DETECTOR_CONFIG) private readonly config: NetworkDetectorConfig,
  ) {
    this.selection = detectionProfileSelectionOf(config);
    const rules = profilesIn(this.selection).map(networkRulesOf);
    this.rulesByProfile = new Map(rules.map((r) => [r.profileName, r]));
    this.storage = {
      retentionMs: Math.max(...rules.map((r) => r.retentionMs)),
      maxEdgesPerAccount: Math.max(...rules.map((r) => r.maxStoredEdges)),
    };
    this.reachMs = Math.max(...rules.map((r) => r.reachMs));
    this.readLimit = Math.max(...rules.map((r) => r.maxDegree));
  }

  /** The rules judging a transfer: its sender's institution's profile (the institution that booked it). */
  private rulesFor(t: TransferAccepted): NetworkRules {
    const profile = profileFor(this.selection, t.debtor.institutionId);
    return this.rulesByProfile.get(profile.name) ?? networkRulesOf(DETECTION_PROFILES[profile.name]);
  }

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      TransferAcceptedSchema,
      this.config.NETWORK_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    if (parsed.length === 0) return;
    const transfers = parsed.map((p) => p.value);
    const edges = transfers.map(edgeOf);
    await this.adjacency.record(edges, this.storage);

    const accounts = new Map<string, NetworkAccount>();
    for (const t of transfers) {
      accounts.set(t.debtor.accountKey, accountOfRef(t.debtor));
      accounts.set(t.creditor.accountKey, accountOfRef(t.creditor));
    }
    const times = edges.map((e) => e.atMs);
    const fromMs = Math.min(...times) - this.reachMs;
    const toMs = Math.max(...times) + this.reachMs;
    const view = new Map<string, AccountAdjacency>();
    const load = async (keys: readonly string[]): Promise<void> => {
      const reads = await this.adjacency.read(
        keys.map((accountKey) => ({ accountKey, fromMs, toMs })),
        this.readLimit,
      );
      for (const [key, read] of reads) {
        view.set(key, adjacencyOf(read));
        for (const e of [...read.inbound, ...read.outbound]) {
          for (const end of [e.from, e.to]) {
            if (accounts.has(end.accountKey)) continue;
            accounts.set(end.accountKey, {
              accountKey: end.accountKey,
              accountId: null,
              institutionId: null,
              country: end.country || null,
              kind: end.kind || null,
            });
          }
        }
      }
    };

    // Every transfer of the batch is searched from, new or replayed: a crash after recording but before
    // publishing must still raise the alert on the retry (the issuer makes a repeat a no-op).
    let pending = transfers.map((t, i) => ({ hop: hopOf(edges[i]!), rules: this.rulesFor(t) }));
    const done: EdgeSearch[] = [];
    let toLoad = [...new Set(edges.flatMap((e) => [e.from.accountKey, e.to.accountKey]))];
    const maxRounds = Math.max(
      ...[...this.rulesByProfile.values()].map((r) => Math.max(r.chain.maxHops, r.cycle.maxHops)),
    );
    for (let round = 0; round < maxRounds && toLoad.length > 0; round += 1) {
      await load(toLoad);
      const searches = pending.map(({ hop, rules }) => searchAround(hop, view, rules));
      const missing = new Set<string>();
      const next: typeof pending = [];
      searches.forEach((search, i) => {
        const unread = [...search.missing].filter((key) => !view.has(key));
        if (unread.length === 0 || round === maxRounds - 1) done.push(search);
        else {
          next.push(pending[i]!);
          for (const key of unread) missing.add(key);
        }
      });
      pending = next;
      toLoad = [...missing];
    }

    // Accounts a chain runs through get every chain through them, not only this batch's: the same alert content
    // whichever instance or batch saw the last transfer. Searched hop by hop as above.
    const middles = new Map<string, NetworkRules>();
    for (const search of done) {
      for (const chain of search.chains)
        for (const key of chain.intermediateKeys) middles.set(key, search.rules);
    }
    const chainsByAccount = new Map<string, LayeringChainFinding[]>();
    let open = [...middles.keys()];
    for (let round = 0; round < maxRounds && open.length > 0; round += 1) {
      const unreadAll = new Set<string>();
      const next: string[] = [];
      for (const key of open) {
        const search = chainsThrough(key, view, middles.get(key)!.chain);
        chainsByAccount.set(key, search.findings);
        const unread = [...search.missing].filter((k) => !view.has(k));
        if (unread.length > 0 && round < maxRounds - 1) {
          next.push(key);
          for (const k of unread) unreadAll.add(k);
        }
      }
      if (unreadAll.size > 0) await load([...unreadAll]);
      open = next;
    }
    await this.alerts.issue(draftsOf(done, accounts, chainsByAccount), now);
  }
}
