import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AccountRole,
  type AlertDraft,
  type AlertFact,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { AccountFlow } from './account-flows';
import type { FanFinding } from './fan.detector';

/** At most this many non-splitting counterparties are named as involved (all stay in the evidence). */
const MAX_NAMED_COUNTERPARTIES = 50;

/**
 * Who the alert names besides the subject. A counterparty that split a payment into several transfers is a
 * smurf (fan-in: role `mule`) or a collector (fan-out: role `collector`); the others may be victims or ordinary
 * payees, so they are `counterparty` (not a suspicion).
 */
export const involvedOfFan = (subject: AccountRef, finding: FanFinding) => {
  const split = new Set(finding.splitCounterparties);
  const suspicious: AccountRole = finding.side === 'in' ? 'mule' : 'collector';
  const refs = new Map<string, AccountFlow>();
  for (const f of finding.legs)
    if (f.counterparty && !refs.has(f.counterpartyKey)) refs.set(f.counterpartyKey, f);
  const named = [...refs.values()]
    .sort((a, b) => Number(split.has(b.counterpartyKey)) - Number(split.has(a.counterpartyKey)))
    .filter((f, i) => split.has(f.counterpartyKey) || i < MAX_NAMED_COUNTERPARTIES)
    .flatMap((f) => {
      const role: AccountRole = split.has(f.counterpartyKey) ? suspicious : 'counterparty';
      return f.counterparty ? [{ accountKey: f.counterpartyKey, ...f.counterparty, role }] : [];
    });
  return [{ ...subject, role: 'mule' as AccountRole }, ...named];
};

/** Turns a fired fan-in or fan-out finding into an alert. */
export const buildFanAlert = (
  subject: AccountRef,
  finding: FanFinding,
  extraFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const typology = finding.side === 'in' ? TYPOLOGIES.fanIn : TYPOLOGIES.fanOut;
  const money = (minor: bigint) => ({
    amountMinor: minor.toString(),
    currency: finding.currency,
    scale: finding.scale,
  });
  const show = `${formatMinor(finding.totalMinor, finding.scale)} ${finding.currency}`;
  const counterparties = [...new Set(finding.legs.map((f) => f.counterpartyKey))].sort();
  const involved = involvedOfFan(subject, finding);
  const transferIds = finding.legs.map((f) => f.transferId);
  const split = finding.splitCounterparties.length;
  return {
    proposedAlertId: proposeAlertId(typology, subject.accountKey, transferIds[0] ?? ''),
    typology,
    subject: { ...subject, role: 'mule' },
    involved,
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      finding.side === 'in'
        ? `Account ${subject.accountKey} received ${show} in ${finding.legs.length} transfers from ${counterparties.length} senders` +
          (split > 0 ? `, ${split} of them splitting a payment into several transfers` : '') +
          ', far above its usual rhythm.'
        : `Account ${subject.accountKey} sent ${show} in ${finding.legs.length} transfers to ${counterparties.length} receivers` +
          (split > 0 ? `, ${split} of them paid in several split transfers` : '') +
          ', far above its usual rhythm.',
    facts: [...finding.facts, ...extraFacts],
    evidence: {
      inboundTransferIds: finding.side === 'in' ? transferIds : [],
      outboundTransferIds: finding.side === 'out' ? transferIds : [],
      counterparties,
      edges: [],
    },
    trigger: { transferId: transferIds.at(-1) ?? '' },
    amounts:
      finding.side === 'in'
        ? { inflow: money(finding.totalMinor), outflow: money(0n) }
        : { inflow: money(0n), outflow: money(finding.totalMinor) },
    jurisdictions: [...new Set(involved.map((a) => a.country))].sort(),
    institutions: [...new Set(involved.map((a) => a.institutionId))].sort(),
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      {
        kind: 'review',
        institutionId: subject.institutionId,
        country: subject.country,
        rationale:
          finding.side === 'in'
            ? 'Ask the holding institution who the senders are and why the account collects from them now.'
            : 'Ask the holding institution why the account pays out this way now (split or scattered payments).',
      },
      { kind: 'str-report', rationale: 'File a suspicious transaction report with the evidence transfers.' },
    ],
  };
};
