/**
 * Mule detection replay: the simulator's scenario played in booking order, in batches of 500 (as the consumer
 * sees them), through the pure mule detectors over in-memory per-account state with the repository's semantics
 * (retention from the profile, 500 legs per side, running count, first event and busiest earlier window), no
 * servers, with the feed's account-opened facts as the profile store (opening date, reported type). Scores the mule detectors alone per typology against the ground truth (scoreMuleDetectorsOnTruth:
 * mule and collector accounts; subjects and involved accounts in suspicious roles). Writes
 * bench-results/mule-detection.json.
 *
 *   npx tsx apps/mule-detector/src/mule-detection.bench.ts --scenario realistic [--seed 42] [--transfers N]
 *                                                        [--profile instant-payments]
 */
import { parseArgs } from 'node:util';
import { AccountFactObservedSchema, TOPICS, accountKeyOf, type AccountRef } from '@scamflow/contracts';
import { detectionProfileNamed } from '@scamflow/detection-profiles';
import {
  MULE_TRUTH_ROLES,
  alertedAccountsOf,
  scoreMuleDetectorsOnTruth,
  type AlertWithInvolved,
  type TruthAccount,
} from '@scamflow/evaluation';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../scam-simulator/src/simulate-flows.service';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../scam-simulator/src/scenarios';
import { canonicalTransferOf } from '../../../test/bench/pipeline/feed-mapping';
import { writeResult } from '../../../test/bench/bench-support';
import type { AccountFlow, SideStats } from './account-flows';
import { evaluateMuleAccountAt, muleRulesOfProfile, windowMsOf } from './evaluate-mule-account';
import { DEFAULT_REPORTING_THRESHOLDS } from './fan-out-structuring.detector';
import { DEFAULT_HUB_POLICY } from './hub-policy';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'realistic' },
    seed: { type: 'string', default: '42' },
    transfers: { type: 'string' },
    profile: { type: 'string', default: 'instant-payments' },
  },
});

interface Side {
  legs: AccountFlow[];
  stats: Map<
    string,
    { count: number; first: number; last: number; wstart: number; wcount: number; wpeak: number }
  >;
}

const main = (): void => {
  const scenarioName = args.scenario ?? 'realistic';
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenarioName))
    throw new Error(`unknown scenario ${scenarioName}`);
  const profile = detectionProfileNamed(args.profile ?? 'instant-payments');
  const rules = muleRulesOfProfile(profile, DEFAULT_REPORTING_THRESHOLDS, DEFAULT_HUB_POLICY);
  const retentionMs = windowMsOf(rules) + profile.eventTime.allowedLatenessMs;
  const cap = profile.memory.maxLegsPerAccountSide;

  const truth: TruthAccount[] = [];
  const refs = new Map<string, AccountRef>();
  // What the banks reported of each account (opening date and type), as the service's profile store keeps it.
  const profiles = new Map<string, { openedAtMs: number; accountType: string }>();
  const transfers: {
    id: string;
    from: AccountRef;
    to: AccountRef;
    atMs: number;
    amount: bigint;
    currency: string;
    scale: number;
  }[] = [];
  const now = new Date();
  for (const line of simulateFlows({
    scenario: SCENARIOS[scenarioName as ScenarioName],
    seed: Number(args.seed),
    ...(args.transfers ? { transfers: Number(args.transfers) } : {}),
  })) {
    const parsed: unknown = JSON.parse(line.line);
    if (typeof parsed !== 'object' || parsed === null) continue;
    if (line.stream === GROUND_TRUTH_STREAM) {
      const r = parsed as Record<string, unknown>;
      if (r['record'] === 'account')
        truth.push({ accountKey: String(r['accountKey']), role: String(r['role']) });
      continue;
    }
    if (line.stream === TOPICS.accountFactObserved) {
      const fact = AccountFactObservedSchema.safeParse(parsed);
      if (fact.success && fact.data.kind === 'account-opened') {
        profiles.set(accountKeyOf(fact.data.institutionId, fact.data.accountId), {
          openedAtMs: Date.parse(fact.data.openedAt),
          accountType: fact.data.accountType,
        });
      }
      continue;
    }
    const canonical = canonicalTransferOf(line.stream, parsed, now);
    if (!canonical?.ok) continue;
    const t = canonical.value;
    refs.set(t.debtor.accountKey, t.debtor);
    refs.set(t.creditor.accountKey, t.creditor);
    transfers.push({
      id: t.transferId,
      from: t.debtor,
      to: t.creditor,
      atMs: Date.parse(t.bookedAt),
      amount: BigInt(t.amount.amountMinor),
      currency: t.amount.currency,
      scale: t.amount.scale,
    });
  }
  transfers.sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));

  const sides = new Map<string, Side>();
  const sideOf = (key: string): Side => {
    let side = sides.get(key);
    if (!side) sides.set(key, (side = { legs: [], stats: new Map() }));
    return side;
  };
  const record = (key: string, leg: AccountFlow, peakWindowMs: number) => {
    const side = sideOf(key);
    const newest = Math.max(leg.atMs, side.legs.at(-1)?.atMs ?? -Infinity);
    side.legs.push(leg);
    side.legs = side.legs.filter((f) => f.atMs >= newest - retentionMs).slice(-cap);
    const asset = `${leg.currency}/${leg.scale}`;
    const s = side.stats.get(asset) ?? {
      count: 0,
      first: leg.atMs,
      last: leg.atMs,
      wstart: Math.floor(leg.atMs / peakWindowMs),
      wcount: 0,
      wpeak: 0,
    };
    const bucket = Math.floor(leg.atMs / peakWindowMs);
    if (bucket === s.wstart) s.wcount += 1;
    else if (bucket > s.wstart) {
      s.wpeak = Math.max(s.wpeak, s.wcount);
      s.wstart = bucket;
      s.wcount = 1;
    }
    s.count += 1;
    s.first = Math.min(s.first, leg.atMs);
    s.last = Math.max(s.last, leg.atMs);
    side.stats.set(asset, s);
  };
  const statsOf = (key: string): Map<string, SideStats> => {
    const out = new Map<string, SideStats>();
    for (const dir of ['in', 'out'] as const) {
      for (const [asset, s] of sideOf(`${dir}|${key}`).stats) {
        const slash = asset.lastIndexOf('/');
        out.set(`${dir}|${asset}`, {
          currency: asset.slice(0, slash),
          scale: Number(asset.slice(slash + 1)),
          count: s.count,
          amountMean: 0,
          amountVariance: 0,
          gapCount: 0,
          gapMeanMs: 0,
          gapVarianceMs2: 0,
          firstAtMs: s.first,
          lastAtMs: s.last,
          previousPeakPerWindow: s.wpeak,
        });
      }
    }
    return out;
  };

  const drafts: AlertWithInvolved[] = [];
  const started = process.cpuUsage();
  for (let i = 0; i < transfers.length; i += 500) {
    const batch = transfers.slice(i, i + 500);
    const ends = new Map<string, number[]>();
    for (const t of batch) {
      const base = {
        transferId: t.id,
        amountMinor: t.amount,
        currency: t.currency,
        scale: t.scale,
        atMs: t.atMs,
      };
      const cp = (a: AccountRef) => ({
        institutionId: a.institutionId,
        accountId: a.accountId,
        country: a.country,
      });
      record(
        `in|${t.to.accountKey}`,
        { ...base, counterpartyKey: t.from.accountKey, counterparty: cp(t.from) },
        rules.fanIn?.windowMs ?? 1,
      );
      record(
        `out|${t.from.accountKey}`,
        { ...base, counterpartyKey: t.to.accountKey, counterparty: cp(t.to) },
        rules.fanOut?.windowMs ?? 1,
      );
      for (const key of [t.from.accountKey, t.to.accountKey])
        ends.set(key, [...(ends.get(key) ?? []), t.atMs]);
    }
    for (const [key, times] of ends) {
      const subject = refs.get(key);
      if (!subject) continue;
      const state = {
        inflows: sideOf(`in|${key}`).legs,
        outflows: sideOf(`out|${key}`).legs,
        senderFirstSeenMs: new Map<string, number>(),
        stats: statsOf(key),
      };
      const profile = profiles.get(key);
      const counterpartyTypes = new Map<string, string>();
      for (const f of state.outflows) {
        const type = profiles.get(f.counterpartyKey)?.accountType;
        if (type) counterpartyTypes.set(f.counterpartyKey, type);
      }
      drafts.push(
        ...evaluateMuleAccountAt(
          { subject, state, counterpartyTypes, ...(profile ? { profile } : {}) },
          rules,
          times,
        ),
      );
    }
  }
  const cpu = process.cpuUsage(started);
  const scores = scoreMuleDetectorsOnTruth(truth, drafts);
  // Who the false positives are, per typology (by ground-truth role): which look-alike each rule falls for.
  const roleOf = new Map(truth.map((t) => [t.accountKey, t.role]));
  const falsePositiveRoles: Record<string, Record<string, number>> = {};
  const counted = new Set<string>();
  for (const d of drafts) {
    for (const a of alertedAccountsOf(d)) {
      const role = roleOf.get(a.accountKey) ?? 'unlabelled';
      if (MULE_TRUTH_ROLES.has(role) || counted.has(`${d.typology} ${a.accountKey}`)) continue;
      counted.add(`${d.typology} ${a.accountKey}`);
      const roles = (falsePositiveRoles[d.typology] ??= {});
      roles[role] = (roles[role] ?? 0) + 1;
    }
  }
  const result = {
    benchmark: 'mule-detection-replay',
    scenario: scenarioName,
    profile: profile.name,
    seed: Number(args.seed),
    transfers: transfers.length,
    cpuMicrosPerTransfer: Math.round((cpu.user + cpu.system) / Math.max(1, transfers.length)),
    positives: scores.labelledPositive,
    overall: scores.overall,
    alertedAccounts: scores.alerted,
    perTypology: scores.perTypology,
    falsePositiveRoles,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`written ${writeResult('mule-detection', result)}`);
};

main();
