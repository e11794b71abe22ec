import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AlertDraft,
  type AlertFact,
  type EvidenceEdge,
  type InvolvedAccount,
  type MinorMoney,
  type RecommendedAction,
  type TracedAmount,
  type TracedHolder,
  type TracedHop,
  type Tracing,
} from '@scamflow/contracts';
import { formatMinor, ratioOf } from '@scamflow/money';
import { SPLITTING_RULES } from '@scamflow/tracing';
import type { CaseFindings, CaseHop, CaseHolder, PerRule } from './case-findings';
import { UNHOSTED, UNKNOWN_COUNTRY } from './cross-border';

/** Freeze requests quote FIFO (common in asset-recovery practice); haircut where FIFO leaves nothing there. */
export const PREFERRED_RULE = 'fifo' as const;
const MIN_MS = 60_000;

const moneyOf = (findings: CaseFindings, amount: bigint): MinorMoney => ({
  amountMinor: amount.toString(),
  currency: findings.unit.currency,
  scale: findings.unit.scale,
});
const show = (findings: CaseFindings, amount: bigint) =>
  `${formatMinor(amount, findings.unit.scale)} ${findings.unit.currency}`;
const iso = (ms: number) => new Date(ms).toISOString();
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const involvedOf = (findings: CaseFindings, accountKey: string): InvolvedAccount => {
  const account = findings.accounts.get(accountKey);
  return {
    accountKey,
    accountId: account?.accountId ?? accountKey,
    institutionId: account?.institutionId ?? 'unknown',
    country: account?.country ?? UNKNOWN_COUNTRY,
    ...(account ? { kind: account.kind } : {}),
    role: findings.roles.get(accountKey) ?? 'counterparty',
  };
};

const amountsOf = (findings: CaseFindings, perRule: PerRule, poison?: bigint): TracedAmount[] => [
  ...SPLITTING_RULES.map((rule) => ({
    rule,
    caseId: findings.caseId,
    amount: moneyOf(findings, perRule[rule]),
  })),
  ...(poison !== undefined ? [{ rule: 'poison' as const, amount: moneyOf(findings, poison) }] : []),
];

const edgeOf = (findings: CaseFindings, hop: CaseHop): EvidenceEdge => ({
  transferId: hop.transferId,
  fromKey: hop.fromKey,
  toKey: hop.toKey,
  bookedAt: iso(hop.atMs),
  amount: moneyOf(findings, hop.amount),
});

const hopOf = (findings: CaseFindings, hop: CaseHop): TracedHop => ({
  ...edgeOf(findings, hop),
  tainted: amountsOf(findings, hop.tainted),
});

const holderOf = (findings: CaseFindings, holder: CaseHolder): TracedHolder => ({
  account: involvedOf(findings, holder.accountKey),
  amounts: amountsOf(findings, holder.held, holder.poisonUpperBound),
  crossBorderReasons: [...(findings.crossBorder.get(holder.accountKey) ?? [])],
  librApplied: holder.librApplied,
});

const tracingOf = (
  findings: CaseFindings,
  holders: readonly CaseHolder[],
  hops: readonly CaseHop[],
): Tracing => ({
  preferredRule: PREFERRED_RULE,
  victims: [
    {
      caseId: findings.caseId,
      caseVersion: findings.caseVersion,
      victimAccountKeys: findings.victims.map((v) => v.accountKey),
      reportedAt: findings.reportedAt,
      seeded: moneyOf(findings, findings.seeded),
    },
  ],
  holders: holders.map((h) => holderOf(findings, h)),
  ledger: hops.map((h) => hopOf(findings, h)),
  untraceable: [...findings.untraceable],
});

/** Amount a freeze request quotes for a holder: FIFO, or haircut where FIFO attributes nothing to it. */
const freezeAmountOf = (held: PerRule): { rule: 'fifo' | 'haircut'; amount: bigint } =>
  held.fifo > 0n ? { rule: 'fifo', amount: held.fifo } : { rule: 'haircut', amount: held.haircut };

const freezeRequests = (findings: CaseFindings, holders: readonly CaseHolder[]): RecommendedAction[] => {
  const perInstitution = new Map<
    string,
    { country: string; accounts: string[]; fifo: bigint; haircut: bigint }
  >();
  for (const holder of holders) {
    const account = findings.accounts.get(holder.accountKey);
    // An unhosted wallet has no institution to ask; the wallets are listed in the holders instead.
    if (!account || account.institutionId === UNHOSTED) continue;
    const entry = perInstitution.get(account.institutionId) ?? {
      country: account.country,
      accounts: [],
      fifo: 0n,
      haircut: 0n,
    };
    entry.accounts.push(holder.accountKey);
    entry.fifo += holder.held.fifo;
    entry.haircut += holder.held.haircut;
    perInstitution.set(account.institutionId, entry);
  }
  return [...perInstitution]
    .sort(([a], [b]) => byText(a, b))
    .flatMap(([institutionId, entry]) => {
      const { rule, amount } = freezeAmountOf({ ...entry, 'fifo-libr': 0n, 'haircut-libr': 0n });
      if (amount === 0n) return [];
      return [
        {
          kind: 'freeze-request' as const,
          institutionId,
          country: entry.country,
          ...(entry.accounts.length === 1 ? { accountKey: entry.accounts[0] } : {}),
          amount: moneyOf(findings, amount),
          rule,
          rationale:
            `Freeze ${show(findings, amount)} (${rule} rule${rule === 'haircut' ? ': FIFO attributes none of the case here' : ''}) ` +
            `of case ${findings.caseId} at ${institutionId}, account(s) ${entry.accounts.join(', ')}.`,
        },
      ];
    });
};

const involvedAll = (findings: CaseFindings, hops: readonly CaseHop[]): InvolvedAccount[] => {
  const keys = new Set<string>(findings.victims.map((v) => v.accountKey));
  for (const hop of hops) keys.add(hop.fromKey).add(hop.toKey);
  return [...keys].map((key) => involvedOf(findings, key));
};

const countriesOf = (accounts: readonly InvolvedAccount[]) =>
  [...new Set(accounts.map((a) => a.country).filter((c) => c !== UNKNOWN_COUNTRY))].sort();
const institutionsOf = (accounts: readonly InvolvedAccount[]) =>
  [...new Set(accounts.map((a) => a.institutionId).filter((i) => i !== UNHOSTED))].sort();

/**
 * Case money that entered a cross-border account from a domestic one, per rule. Counted once per path: money
 * already past a border (an unhosted hop wallet after a VASP off-ramp, say) does not cross again when it
 * reaches the next cross-border account. Hops are in time order, so "past a border" propagates forward.
 */
const crossedOf = (findings: CaseFindings): { fifo: bigint; haircut: bigint; firstMs?: number } => {
  let fifo = 0n;
  let haircut = 0n;
  let firstMs: number | undefined;
  const pastBorder = new Set<string>();
  for (const hop of findings.hops) {
    const fromPast = pastBorder.has(hop.fromKey) || findings.crossBorder.has(hop.fromKey);
    if (fromPast) {
      pastBorder.add(hop.toKey);
      continue;
    }
    if (!findings.crossBorder.has(hop.toKey)) continue;
    fifo += hop.tainted.fifo;
    haircut += hop.tainted.haircut;
    firstMs = firstMs === undefined ? hop.atMs : Math.min(firstMs, hop.atMs);
  }
  return { fifo, haircut, ...(firstMs !== undefined ? { firstMs } : {}) };
};

/**
 * `proceeds.cross-border` for one case, or undefined when none of its traced money (FIFO or haircut) reached
 * a foreign account, a VASP, or an unhosted wallet paying a foreign VASP. One alert per case (issue key = case
 * id): later movements make new versions of it.
 */
export const buildCrossBorderAlert = (findings: CaseFindings, maxHops: number): AlertDraft | undefined => {
  if (findings.crossBorder.size === 0 || findings.seedTransferIds.length === 0) return undefined;
  const victim = findings.victims[0];
  if (!victim) return undefined;
  const hops = findings.hops;
  const involved = involvedAll(findings, hops);
  const victimCountries = new Set(findings.victims.map((v) => v.country));
  const crossed = crossedOf(findings);
  const fifoShare = Math.min(1, ratioOf(crossed.fifo, findings.seeded));
  const haircutShare = Math.min(1, ratioOf(crossed.haircut, findings.seeded));
  const hopsToBorder = Math.min(
    ...[...findings.crossBorder.keys()].map((k) => findings.depth.get(k) ?? maxHops),
  );
  const firstMs = Math.min(...hops.map((h) => h.atMs));
  const lastMs = Math.max(...hops.map((h) => h.atMs));
  const minutesToBorder = crossed.firstMs === undefined ? undefined : (crossed.firstMs - firstMs) / MIN_MS;
  const reportMs = Date.parse(findings.reportedAt);
  const points = [...findings.crossBorder].sort(([a], [b]) => byText(a, b));
  const facts: AlertFact[] = [
    {
      name: 'crossBorderPoints',
      description: 'accounts that received traced money and why each matters across borders',
      value: points.map(([key, reasons]) => `${key} (${reasons.join(', ')})`).join('; '),
      threshold: '>= 1',
      fired: true,
    },
    {
      name: 'hopsToBorder',
      description: "fewest hops from the victim's account to a cross-border account",
      value: String(hopsToBorder),
      threshold: `<= ${maxHops}`,
      fired: true,
    },
    {
      name: 'shareCrossedFifo',
      description: "share of the victim's traced money that crossed under FIFO",
      value: fifoShare.toFixed(3),
      threshold: '> 0',
      fired: fifoShare > 0,
    },
    {
      name: 'shareCrossedHaircut',
      description: "share of the victim's traced money that crossed under haircut (pro-rata)",
      value: haircutShare.toFixed(3),
      threshold: '> 0',
      fired: haircutShare > 0,
    },
    {
      name: 'minutesFromPaymentToBorder',
      description: "minutes from the victim's first payment to the first cross-border receipt",
      value: minutesToBorder === undefined ? 'n/a' : minutesToBorder.toFixed(1),
      threshold: '<= 60 (fast layering)',
      fired: minutesToBorder !== undefined && minutesToBorder <= 60,
    },
    {
      name: 'minutesFromReportToLastMovement',
      description:
        'minutes from the report to the last traced movement (negative: the money had already moved when reported); time left to act counts from the last movement',
      value: ((lastMs - reportMs) / MIN_MS).toFixed(1),
      threshold: 'n/a',
      fired: lastMs >= reportMs,
    },
  ];
  const share = Math.max(fifoShare, haircutShare);
  const fast = minutesToBorder !== undefined && minutesToBorder <= 60;
  const score = Number(Math.min(1, 0.6 + 0.3 * share + (fast ? 0.1 : 0)).toFixed(3));
  const holders = findings.holders;
  const foreignCountries = countriesOf(
    [...findings.crossBorder.keys()].map((key) => involvedOf(findings, key)),
  ).filter((c) => !victimCountries.has(c));
  const fifoHeldAcross = holders
    .filter((h) => findings.crossBorder.has(h.accountKey))
    .reduce((sum, h) => sum + h.held.fifo, 0n);
  return {
    proposedAlertId: proposeAlertId(TYPOLOGIES.crossBorderProceeds, findings.caseId),
    issueKey: findings.caseId,
    typology: TYPOLOGIES.crossBorderProceeds,
    subject: { ...involvedOf(findings, victim.accountKey), role: 'victim' },
    involved,
    score,
    severity: severityOfScore(score),
    summary:
      `Case ${findings.caseId}: of ${show(findings, findings.seeded)} the victim paid, ` +
      `${show(findings, crossed.fifo)} (FIFO) / ${show(findings, crossed.haircut)} (haircut) reached ` +
      `${points.length} cross-border account(s) within ${hopsToBorder} hop(s); ` +
      `${show(findings, fifoHeldAcross)} (FIFO) is still held there.`,
    facts,
    evidence: {
      inboundTransferIds: [...findings.seedTransferIds].sort(),
      outboundTransferIds: hops
        .filter((h) => findings.crossBorder.has(h.toKey) && !findings.crossBorder.has(h.fromKey))
        .map((h) => h.transferId),
      counterparties: involved.map((a) => a.accountKey).filter((k) => k !== victim.accountKey),
      edges: hops.map((h) => edgeOf(findings, h)),
    },
    tracing: tracingOf(findings, holders, hops),
    trigger: { caseId: findings.caseId },
    jurisdictions: countriesOf(involved),
    institutions: institutionsOf(involved),
    firstSeenAt: iso(firstMs),
    lastSeenAt: iso(lastMs),
    status: 'open',
    recommendedActions: [
      ...freezeRequests(findings, holders),
      ...foreignCountries.map((country) => ({
        kind: 'international-request' as const,
        country,
        rationale: `Ask ${country} (FIU-to-FIU / mutual legal assistance) to trace and freeze case ${findings.caseId} proceeds at ${institutionsOf(
          [...findings.crossBorder.keys()]
            .map((k) => involvedOf(findings, k))
            .filter((a) => a.country === country),
        ).join(', ')}.`,
      })),
      {
        kind: 'str-report',
        rationale: `File a suspicious transaction report with the traced path of case ${findings.caseId}.`,
      },
    ],
  };
};

/** An account that received some case's traced money within k hops. */
interface Proximity {
  readonly findings: CaseFindings;
  /** The case's hops into and out of the account. */
  readonly into: readonly CaseHop[];
  readonly outOf: readonly CaseHop[];
  readonly depth: number;
  readonly path: readonly CaseHop[];
  readonly received: PerRule;
}

const pathTo = (findings: CaseFindings, accountKey: string): CaseHop[] => {
  const path: CaseHop[] = [];
  const seen = new Set<string>();
  let key = accountKey;
  for (let hop = findings.via.get(key); hop && !seen.has(key); hop = findings.via.get(key)) {
    seen.add(key);
    path.unshift(hop);
    key = hop.fromKey;
  }
  return path;
};

/** A case's hops into and out of each account (a case has thousands of hops: each account must not scan them all). */
const hopsByAccount = (findings: CaseFindings) => {
  const into = new Map<string, CaseHop[]>();
  const outOf = new Map<string, CaseHop[]>();
  for (const hop of findings.hops) {
    (into.get(hop.toKey) ?? into.set(hop.toKey, []).get(hop.toKey)!).push(hop);
    (outOf.get(hop.fromKey) ?? outOf.set(hop.fromKey, []).get(hop.fromKey)!).push(hop);
  }
  return { into, outOf };
};

const receivedBy = (into: readonly CaseHop[], accountKey: string): PerRule => {
  const total: PerRule = { fifo: 0n, haircut: 0n, 'fifo-libr': 0n, 'haircut-libr': 0n };
  for (const hop of into) {
    if (hop.fromKey === accountKey) continue;
    for (const rule of SPLITTING_RULES) total[rule] += hop.tainted[rule];
  }
  return total;
};

/**
 * `mule.proximity-to-proceeds`: one alert per account (not a victim, not a terminal hub) that received at least
 * `minShare` of a case's money (FIFO or haircut) within `maxDepth` hops, listing each case's amounts and the
 * path from its victim. The share floor keeps the shop a mule buys lunch at from being called a mule.
 * With `changed`, only the accounts one of those cases reached get a draft (still listing every case there): the
 * other accounts' alerts are what they were, and rebuilding them only for the issuer to find them unchanged cost
 * the tracer more than the changed ones.
 */
export const buildProximityAlerts = (
  cases: readonly CaseFindings[],
  maxDepth: number,
  minShare = 0,
  changed?: ReadonlySet<string>,
): AlertDraft[] => {
  const minPpm = BigInt(Math.round(minShare * 1_000_000));
  const indexed = cases.map((findings) => ({
    findings,
    victims: new Set(findings.victims.map((v) => v.accountKey)),
    ...hopsByAccount(findings),
  }));
  /** What the case's money left at the account, when the account is within reach and got a material share. */
  const reached = (c: (typeof indexed)[number], accountKey: string, depth: number) => {
    const { findings } = c;
    if (depth < 1 || depth > maxDepth || c.victims.has(accountKey) || findings.terminalHubs.has(accountKey)) {
      return undefined;
    }
    const received = receivedBy(c.into.get(accountKey) ?? [], accountKey);
    const most = received.fifo > received.haircut ? received.fifo : received.haircut;
    return most === 0n || most * 1_000_000n < minPpm * findings.seeded ? undefined : received;
  };
  let wanted: Set<string> | undefined;
  if (changed) {
    wanted = new Set();
    for (const c of indexed) {
      if (!changed.has(c.findings.caseId)) continue;
      for (const [accountKey, depth] of c.findings.depth) {
        if (reached(c, accountKey, depth)) wanted.add(accountKey);
      }
    }
  }
  const byAccount = new Map<string, Proximity[]>();
  for (const c of indexed) {
    const { findings } = c;
    for (const [accountKey, depth] of findings.depth) {
      if (wanted && !wanted.has(accountKey)) continue;
      const received = reached(c, accountKey, depth);
      if (!received) continue;
      const list = byAccount.get(accountKey) ?? [];
      list.push({
        findings,
        into: c.into.get(accountKey) ?? [],
        outOf: c.outOf.get(accountKey) ?? [],
        depth,
        path: pathTo(findings, accountKey),
        received,
      });
      byAccount.set(accountKey, list);
    }
  }
  const drafts: AlertDraft[] = [];
  for (const [accountKey, list] of [...byAccount].sort(([a], [b]) => byText(a, b))) {
    list.sort((a, b) => byText(a.findings.caseId, b.findings.caseId));
    const first = list[0];
    if (!first) continue;
    const subject = involvedOf(first.findings, accountKey);
    const depth = Math.min(...list.map((p) => p.depth));
    const score = Number((0.6 + (0.3 * (maxDepth - depth + 1)) / maxDepth).toFixed(3));
    const edges = [
      ...new Map(
        list.flatMap((p) => p.path.map((h) => [h.transferId, edgeOf(p.findings, h)] as const)),
      ).values(),
    ];
    const inbound = list.flatMap((p) => p.into.map((h) => h.transferId));
    const outbound = list.flatMap((p) => p.outOf.map((h) => h.transferId));
    const involved = new Map<string, InvolvedAccount>();
    for (const p of list) {
      for (const h of p.path) {
        for (const key of [h.fromKey, h.toKey]) {
          if (!involved.has(key)) involved.set(key, involvedOf(p.findings, key));
        }
      }
    }
    const holders = list.flatMap((p) => p.findings.holders.filter((h) => h.accountKey === accountKey));
    const tracings = list.map((p) =>
      tracingOf(
        p.findings,
        p.findings.holders.filter((h) => h.accountKey === accountKey),
        p.path,
      ),
    );
    const times = list.flatMap((p) => p.path.map((h) => h.atMs));
    drafts.push({
      proposedAlertId: proposeAlertId(TYPOLOGIES.proximityToProceeds, accountKey),
      typology: TYPOLOGIES.proximityToProceeds,
      subject,
      involved: [...involved.values()],
      score,
      severity: severityOfScore(score),
      summary:
        `Account ${accountKey} received money traced from ${list.length} victim case(s) within ${depth} hop(s): ` +
        list
          .map(
            (p) =>
              `${p.findings.caseId} ${show(p.findings, p.received.fifo)} (FIFO) / ${show(p.findings, p.received.haircut)} (haircut)`,
          )
          .join('; ') +
        '.',
      facts: [
        {
          name: 'hopsFromVictim',
          description: "fewest hops from a victim's account",
          value: String(depth),
          threshold: `<= ${maxDepth}`,
          fired: true,
        },
        ...list.map((p) => ({
          name: `receivedFromCase:${p.findings.caseId}`,
          description: `traced money of case ${p.findings.caseId} received (FIFO / haircut, ${p.findings.unit.currency})`,
          value: `${formatMinor(p.received.fifo, p.findings.unit.scale)} / ${formatMinor(p.received.haircut, p.findings.unit.scale)}`,
          threshold: '> 0',
          fired: true,
        })),
      ],
      evidence: {
        inboundTransferIds: [...new Set(inbound)],
        outboundTransferIds: [...new Set(outbound)],
        counterparties: [...involved.keys()].filter((k) => k !== accountKey),
        edges,
      },
      tracing: {
        preferredRule: PREFERRED_RULE,
        victims: tracings.flatMap((t) => t.victims),
        holders: tracings.flatMap((t) => t.holders),
        ledger: tracings.flatMap((t) => t.ledger),
        untraceable: [],
      },
      trigger: { caseId: first.findings.caseId },
      jurisdictions: countriesOf([...involved.values()]),
      institutions: institutionsOf([...involved.values()]),
      firstSeenAt: iso(Math.min(...times)),
      lastSeenAt: iso(Math.max(...times)),
      status: 'open',
      recommendedActions: [
        ...list.flatMap((p) =>
          freezeRequests(
            p.findings,
            holders.filter((h) => p.findings.holders.includes(h)),
          ),
        ),
        {
          kind: 'review',
          institutionId: subject.institutionId,
          country: subject.country,
          accountKey,
          rationale: 'Review the account (KYC, devices, account age): it received reported scam proceeds.',
        },
        { kind: 'str-report', rationale: 'File a suspicious transaction report with the traced path.' },
      ],
    });
  }
  return drafts;
};
