/**
 * Network search replay: the simulator's scenario played transfer by transfer (booking order) through the pure
 * network search over an in-memory adjacency with the repository's semantics (read window, hub limit), without
 * servers. Measures the search's CPU per transfer and which accounts each network typology alerts, against the
 * scenario's ground truth (account level: the subject's role). Writes bench-results/network-search.json.
 *
 *   npx tsx apps/network-detector/src/network-search.bench.ts --scenario standard [--seed 42] [--transfers N]
 *                                                            [--profile instant-payments]
 *   npx tsx apps/network-detector/src/network-search.bench.ts --amlsim ../shared/data/amlsim-20k-fanin200
 *                                                            --profile daily-batch
 * With --amlsim, an AMLSim output directory (transactions.csv: source, target, value, step in days; nodes.csv:
 * isFraud) replaces the simulator: positives are its fraud nodes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DETECTION_PROFILES, isDetectionProfileName } from '@scamflow/detection-profiles';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../scam-simulator/src/simulate-flows.service';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../scam-simulator/src/scenarios';
import { canonicalTransferOf } from '../../../test/bench/pipeline/feed-mapping';
import { POSITIVE_ROLES } from '../../../test/bench/pipeline/scenario-feed';
import type { AccountAdjacency } from './adjacency-view';
import type { FlowHop } from './flow-hop';
import { networkRulesOf } from './network-rules';
import { draftsOf, searchAround } from './network-search';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'standard' },
    seed: { type: 'string', default: '42' },
    transfers: { type: 'string' },
    profile: { type: 'string', default: 'instant-payments' },
    amlsim: { type: 'string' },
  },
});

/** What the temporal adjacency returns for one account around one time: capped, a hub counted only. */
class ReplayView extends Map<string, AccountAdjacency> {
  constructor(
    private readonly inbound: ReadonlyMap<string, FlowHop[]>,
    private readonly outbound: ReadonlyMap<string, FlowHop[]>,
    private readonly fromMs: number,
    private readonly toMs: number,
    private readonly limit: number,
  ) {
    super();
  }

  override get(key: string): AccountAdjacency | undefined {
    const cached = super.get(key);
    if (cached) return cached;
    const inRange = (h: FlowHop) => h.atMs >= this.fromMs && h.atMs <= this.toMs;
    const inbound = (this.inbound.get(key) ?? []).filter(inRange);
    const outbound = (this.outbound.get(key) ?? []).filter(inRange);
    const adjacency = {
      inbound: inbound.length > this.limit ? [] : inbound,
      outbound: outbound.length > this.limit ? [] : outbound,
      inboundCount: inbound.length,
      outboundCount: outbound.length,
    };
    super.set(key, adjacency);
    return adjacency;
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;
const START_MS = Date.parse('2026-01-01T00:00:00Z');

/** "103.55" → 10355n (two decimals; AMLSim values carry at most two). */
const centsOf = (value: string): bigint => {
  const [whole = '0', fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
};

const amlsimFeed = (dir: string): { hops: FlowHop[]; roles: Map<string, string> } => {
  const lines = (file: string) => readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1);
  const roles = new Map<string, string>();
  for (const line of lines('nodes.csv')) {
    const [id = '', isFraud = '0'] = line.split(',');
    roles.set(`AMLSIM:${id}`, isFraud === '1' ? 'mule' : 'normal');
  }
  const hops = lines('transactions.csv').map((line, i) => {
    const [from = '', to = '', value = '0', step = '0'] = line.split(',');
    return {
      transferId: `amlsim:${i + 1}`,
      fromKey: `AMLSIM:${from}`,
      toKey: `AMLSIM:${to}`,
      atMs: START_MS + Number(step) * DAY_MS,
      amountMinor: centsOf(value),
      currency: 'USD',
      scale: 2,
      refAmountMinor: null,
    };
  });
  return { hops, roles };
};

const main = (): void => {
  const scenarioName = args.scenario ?? 'standard';
  if (!(SCENARIO_NAMES as readonly string[]).includes(scenarioName)) {
    throw new Error(`unknown scenario ${scenarioName} (known: ${SCENARIO_NAMES.join(', ')})`);
  }
  const profileName = args.profile ?? 'instant-payments';
  if (!isDetectionProfileName(profileName)) throw new Error(`unknown profile ${profileName}`);
  const rules = networkRulesOf(DETECTION_PROFILES[profileName]);
  const seed = Number(args.seed);
  const transfersArg = args.transfers ? Number(args.transfers) : undefined;

  const fromAmlsim = args.amlsim ? amlsimFeed(args.amlsim) : undefined;
  const hops: FlowHop[] = fromAmlsim?.hops ?? [];
  const roles = fromAmlsim?.roles ?? new Map<string, string>();
  const now = new Date();
  for (const line of fromAmlsim
    ? []
    : simulateFlows({
        scenario: SCENARIOS[scenarioName as ScenarioName],
        seed,
        ...(transfersArg ? { transfers: transfersArg } : {}),
      })) {
    const parsed: unknown = JSON.parse(line.line);
    if (typeof parsed !== 'object' || parsed === null) continue;
    const record = parsed as Record<string, unknown>;
    if (line.stream === GROUND_TRUTH_STREAM) {
      if (record['record'] === 'account') roles.set(String(record['accountKey']), String(record['role']));
      continue;
    }
    const canonical = canonicalTransferOf(line.stream, parsed, now);
    if (!canonical?.ok) continue;
    const t = canonical.value;
    hops.push({
      transferId: t.transferId,
      fromKey: t.debtor.accountKey,
      toKey: t.creditor.accountKey,
      atMs: Date.parse(t.bookedAt),
      amountMinor: BigInt(t.amount.amountMinor),
      currency: t.amount.currency,
      scale: t.amount.scale,
      refAmountMinor: t.reference?.status === 'converted' ? BigInt(t.reference.amount.amountMinor) : null,
    });
  }
  hops.sort((a, b) => a.atMs - b.atMs || a.transferId.localeCompare(b.transferId));

  const inbound = new Map<string, FlowHop[]>();
  const outbound = new Map<string, FlowHop[]>();
  const flagged = new Map<string, Set<string>>();
  const batch = 500;
  const started = process.cpuUsage();
  for (let i = 0; i < hops.length; i += batch) {
    const slice = hops.slice(i, i + batch);
    for (const h of slice) {
      const into = inbound.get(h.toKey) ?? [];
      into.push(h);
      inbound.set(h.toKey, into);
      const outOf = outbound.get(h.fromKey) ?? [];
      outOf.push(h);
      outbound.set(h.fromKey, outOf);
    }
    const view = new ReplayView(
      inbound,
      outbound,
      slice[0]!.atMs - rules.reachMs,
      slice.at(-1)!.atMs + rules.reachMs,
      rules.maxDegree,
    );
    for (const draft of draftsOf(
      slice.map((h) => searchAround(h, view, rules)),
      new Map(),
    )) {
      const set = flagged.get(draft.typology) ?? new Set<string>();
      set.add(draft.subject.accountKey);
      flagged.set(draft.typology, set);
    }
  }
  const cpu = process.cpuUsage(started);
  const positives = new Set([...roles].filter(([, role]) => POSITIVE_ROLES.has(role)).map(([key]) => key));
  const perTypology = Object.fromEntries(
    [...flagged].map(([typology, accounts]) => {
      const tp = [...accounts].filter((a) => positives.has(a)).length;
      return [
        typology,
        {
          alerted: accounts.size,
          tp,
          fp: accounts.size - tp,
          precision: accounts.size === 0 ? null : Number((tp / accounts.size).toFixed(3)),
          recall: positives.size === 0 ? null : Number((tp / positives.size).toFixed(3)),
          falsePositiveRoles: [...accounts]
            .filter((a) => !positives.has(a))
            .reduce<Record<string, number>>((counts, a) => {
              const role = roles.get(a) ?? 'unlabelled';
              counts[role] = (counts[role] ?? 0) + 1;
              return counts;
            }, {}),
        },
      ];
    }),
  );
  const result = {
    benchmark: 'network-search',
    scenario: args.amlsim ? `amlsim:${path.basename(args.amlsim)}` : scenarioName,
    seed,
    profile: profileName,
    transfers: hops.length,
    positiveAccounts: positives.size,
    cpuMicrosecondsPerTransfer: Math.round((cpu.user + cpu.system) / hops.length),
    perTypology,
  };
  console.log(JSON.stringify(result, null, 2));
  const dir = path.join(__dirname, '..', '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'network-search.json'), JSON.stringify(result, null, 2));
};

main();
