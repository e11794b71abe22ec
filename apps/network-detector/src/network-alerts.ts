import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AccountRole,
  type AlertDraft,
  type AlertFact,
  type InvolvedAccount,
  type RecommendedAction,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { BipartiteLayeringFinding } from './bipartite-layering.detector';
import { accountOfKey, toAccountRef, toEvidenceEdge, type FlowHop, type NetworkAccount } from './flow-hop';
import type { LayeringChainFinding } from './layering-chain.detector';
import type { RoundTrippingFinding } from './round-tripping.detector';
import type { ScatterGatherFinding } from './scatter-gather.detector';
import type { SharedIdentifierFinding } from './shared-identifier.detector';

const REVIEW = (subject: AccountRef, why: string): RecommendedAction => ({
  kind: 'review',
  institutionId: subject.institutionId,
  country: subject.country,
  accountKey: subject.accountKey,
  rationale: why,
});

const STR: RecommendedAction = {
  kind: 'str-report',
  rationale: 'File a suspicious transaction report with the evidence transfers.',
};

const show = (hop: FlowHop) => `${formatMinor(hop.amountMinor, hop.scale)} ${hop.currency}`;

const uniqueSorted = (values: readonly string[]) => [...new Set(values)].sort();

/** Every account of the paths with its role; the subject first. */
const involvedOf = (
  subject: AccountRef,
  accounts: ReadonlyMap<string, NetworkAccount>,
  roleOf: (accountKey: string) => AccountRole,
): InvolvedAccount[] => {
  const others = [...accounts.keys()].filter((k) => k !== subject.accountKey).sort();
  return [
    { ...subject, role: roleOf(subject.accountKey) },
    ...others.map((key) => ({ ...toAccountRef(accounts.get(key) ?? accountOfKey(key)), role: roleOf(key) })),
  ];
};

/** Layering chains through one intermediate account (several chains in one batch become one draft). */
export const buildLayeringChainAlert = (
  subject: NetworkAccount,
  findings: readonly LayeringChainFinding[],
  accounts: ReadonlyMap<string, NetworkAccount>,
  searchFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const ref = toAccountRef(subject);
  const strongest = findings.reduce((a, b) => (b.score > a.score ? b : a));
  const hops = [...new Map(findings.flatMap((f) => f.hops).map((h) => [h.transferId, h])).values()].sort(
    (a, b) => a.atMs - b.atMs || a.transferId.localeCompare(b.transferId),
  );
  const inbound = hops.filter((h) => h.toKey === ref.accountKey);
  const outbound = hops.filter((h) => h.fromKey === ref.accountKey);
  const starts = new Set(findings.map((f) => f.hops[0]?.fromKey));
  const ends = new Set(findings.map((f) => f.hops.at(-1)?.toKey));
  const intermediates = new Set(findings.flatMap((f) => f.intermediateKeys));
  const involved = involvedOf(ref, accounts, (key) =>
    intermediates.has(key)
      ? 'mule'
      : ends.has(key)
        ? 'collector'
        : starts.has(key)
          ? 'counterparty'
          : 'counterparty',
  );
  const first = strongest.hops[0]!;
  const last = strongest.hops.at(-1)!;
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.layeringChain, ref.accountKey, first.transferId),
    typology: TYPOLOGIES.layeringChain,
    subject: { ...ref, role: 'mule' },
    involved,
    score: strongest.score,
    severity: severityOfScore(strongest.score),
    summary:
      `Account ${ref.accountKey} is a hop of a ${strongest.hops.length}-transfer chain: ${show(first)} left ` +
      `${first.fromKey} and ${show(last)} reached ${last.toKey} within ` +
      `${((last.atMs - first.atMs) / 60_000).toFixed(0)} min.`,
    facts: [...strongest.facts, ...searchFacts],
    evidence: {
      inboundTransferIds: inbound.map((h) => h.transferId),
      outboundTransferIds: outbound.map((h) => h.transferId),
      counterparties: uniqueSorted([...inbound.map((h) => h.fromKey), ...outbound.map((h) => h.toKey)]),
      edges: hops.map(toEvidenceEdge),
    },
    trigger: { transferId: last.transferId },
    jurisdictions: uniqueSorted(involved.map((a) => a.country)),
    institutions: uniqueSorted(involved.map((a) => a.institutionId)),
    firstSeenAt: new Date(Math.min(...findings.map((f) => f.firstSeenMs))).toISOString(),
    lastSeenAt: new Date(Math.max(...findings.map((f) => f.lastSeenMs))).toISOString(),
    status: 'open',
    recommendedActions: [
      REVIEW(
        ref,
        'Review the account as a suspected layering hop (KYC, devices, account age, onward payees).',
      ),
      STR,
    ],
  };
};

/** A cycle returning value to its origin; the origin is the subject. */
export const buildRoundTrippingAlert = (
  finding: RoundTrippingFinding,
  accounts: ReadonlyMap<string, NetworkAccount>,
  searchFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const origin = accounts.get(finding.originKey) ?? accountOfKey(finding.originKey);
  const ref = toAccountRef(origin);
  const first = finding.hops[0]!;
  const last = finding.hops.at(-1)!;
  const involved = involvedOf(ref, accounts, (key) => (key === ref.accountKey ? 'mule' : 'counterparty'));
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.roundTripping, ref.accountKey, first.transferId),
    typology: TYPOLOGIES.roundTripping,
    subject: { ...ref, role: 'mule' },
    involved,
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `${show(first)} left ${ref.accountKey} and ${show(last)} came back through ` +
      `${finding.intermediateKeys.length} account(s) within ${((last.atMs - first.atMs) / 60_000).toFixed(0)} min.`,
    facts: [...finding.facts, ...searchFacts],
    evidence: {
      inboundTransferIds: [last.transferId],
      outboundTransferIds: [first.transferId],
      counterparties: uniqueSorted(finding.intermediateKeys),
      edges: finding.hops.map(toEvidenceEdge),
    },
    trigger: { transferId: last.transferId },
    jurisdictions: uniqueSorted(involved.map((a) => a.country)),
    institutions: uniqueSorted(involved.map((a) => a.institutionId)),
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      REVIEW(ref, 'Review the origin and the accounts of the cycle: value returned to it through others.'),
      STR,
    ],
  };
};

/** An account linked by identifiers to known mules. */
export const buildSharedIdentifierAlert = (
  subject: NetworkAccount,
  finding: SharedIdentifierFinding,
  sharers: ReadonlyMap<string, NetworkAccount>,
  seen: { readonly firstSeenAt: string; readonly lastSeenAt: string },
): AlertDraft => {
  const ref = toAccountRef(subject);
  const mules = uniqueSorted(finding.matches.map((m) => m.mule.accountKey));
  const involved: InvolvedAccount[] = [
    { ...ref, role: 'mule' },
    ...mules.map((key) => ({
      ...toAccountRef(sharers.get(key) ?? accountOfKey(key)),
      role: 'mule' as const,
    })),
  ];
  const types = uniqueSorted(finding.matches.map((m) => m.identifierType));
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.sharedIdentifier, ref.accountKey, mules[0] ?? ''),
    typology: TYPOLOGIES.sharedIdentifier,
    subject: { ...ref, role: 'mule' },
    involved,
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `Account ${ref.accountKey} shares ${types.join(', ')} with ${mules.length} known mule account(s)` +
      (finding.matches.some((m) => m.crossInstitution) ? ' at another institution.' : '.'),
    facts: finding.facts,
    evidence: { inboundTransferIds: [], outboundTransferIds: [], counterparties: mules, edges: [] },
    trigger: {},
    jurisdictions: uniqueSorted(involved.map((a) => a.country)),
    institutions: uniqueSorted(involved.map((a) => a.institutionId)),
    firstSeenAt: seen.firstSeenAt,
    lastSeenAt: seen.lastSeenAt,
    status: 'open',
    recommendedActions: [
      REVIEW(
        ref,
        `Review the account: it shares ${types.join(', ')} with accounts named as mules (${finding.matches
          .map((m) => m.mule.alertId)
          .filter((id, i, all) => all.indexOf(id) === i)
          .join(', ')}).`,
      ),
    ],
  };
};

/** Evidence of a pattern around one subject: its own transfers in and out, every transfer as an edge. */
const evidenceAround = (subjectKey: string, hops: readonly FlowHop[]): AlertDraft['evidence'] => {
  const inbound = hops.filter((h) => h.toKey === subjectKey);
  const outbound = hops.filter((h) => h.fromKey === subjectKey);
  return {
    inboundTransferIds: inbound.map((h) => h.transferId),
    outboundTransferIds: outbound.map((h) => h.transferId),
    counterparties: uniqueSorted([...inbound.map((h) => h.fromKey), ...outbound.map((h) => h.toKey)]),
    edges: hops.map(toEvidenceEdge),
  };
};

/** Scatter-gather, named on one intermediary or on the sink (the collector, where the money now is). */
export const buildScatterGatherAlert = (
  subjectKey: string,
  finding: ScatterGatherFinding,
  accounts: ReadonlyMap<string, NetworkAccount>,
  searchFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const ref = toAccountRef(accounts.get(subjectKey) ?? accountOfKey(subjectKey));
  const intermediaries = new Set(finding.intermediaryKeys);
  const role = (key: string): AccountRole =>
    intermediaries.has(key) ? 'mule' : key === finding.sinkKey ? 'collector' : 'counterparty';
  const onPattern = new Map(
    [finding.sourceKey, finding.sinkKey, ...finding.intermediaryKeys].map((key) => [
      key,
      accounts.get(key) ?? accountOfKey(key),
    ]),
  );
  const involved = involvedOf(ref, onPattern, role);
  const last = finding.hops.at(-1)!;
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.scatterGather, ref.accountKey, finding.hops[0]!.transferId),
    typology: TYPOLOGIES.scatterGather,
    subject: { ...ref, role: role(ref.accountKey) },
    involved,
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `${finding.sourceKey} paid ${finding.intermediaryKeys.length} accounts that passed it on to ` +
      `${finding.sinkKey} within ${((finding.lastSeenMs - finding.firstSeenMs) / 60_000).toFixed(0)} min` +
      (ref.accountKey === finding.sinkKey
        ? ' (this account gathered it).'
        : ' (this account is one of them).'),
    facts: [...finding.facts, ...searchFacts],
    evidence: evidenceAround(ref.accountKey, finding.hops),
    trigger: { transferId: last.transferId },
    jurisdictions: uniqueSorted(involved.map((a) => a.country)),
    institutions: uniqueSorted(involved.map((a) => a.institutionId)),
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      REVIEW(ref, 'Review the account: money was split across several accounts and gathered again.'),
      STR,
    ],
  };
};

/** Bipartite (stacked) layering, named on one account of the sink layer. */
export const buildBipartiteLayeringAlert = (
  subjectKey: string,
  finding: BipartiteLayeringFinding,
  accounts: ReadonlyMap<string, NetworkAccount>,
  searchFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const ref = toAccountRef(accounts.get(subjectKey) ?? accountOfKey(subjectKey));
  const sinks = new Set(finding.sinkKeys);
  const next = new Set(finding.nextLayerKeys);
  const role = (key: string): AccountRole =>
    sinks.has(key) ? 'mule' : next.has(key) ? 'collector' : 'counterparty';
  const onPattern = new Map(
    [...finding.sourceKeys, ...finding.sinkKeys, ...finding.nextLayerKeys].map((key) => [
      key,
      accounts.get(key) ?? accountOfKey(key),
    ]),
  );
  const involved = involvedOf(ref, onPattern, role);
  const last = finding.hops.at(-1)!;
  return {
    proposedAlertId: proposeAlertId(
      TYPOLOGIES.bipartiteLayering,
      ref.accountKey,
      finding.hops[0]!.transferId,
    ),
    typology: TYPOLOGIES.bipartiteLayering,
    subject: { ...ref, role: 'mule' },
    involved,
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `${finding.sourceKeys.length} accounts paid a set of ${finding.sinkKeys.length} accounts (this one among ` +
      `them), which passed the money on` +
      (finding.nextLayerKeys.length > 0
        ? ` to a common next layer of ${finding.nextLayerKeys.length}.`
        : '.'),
    facts: [...finding.facts, ...searchFacts],
    evidence: evidenceAround(ref.accountKey, finding.hops),
    trigger: { transferId: last.transferId },
    jurisdictions: uniqueSorted(involved.map((a) => a.country)),
    institutions: uniqueSorted(involved.map((a) => a.institutionId)),
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      REVIEW(ref, 'Review the account as part of a layer of accounts moving money between sets of accounts.'),
      STR,
    ],
  };
};
