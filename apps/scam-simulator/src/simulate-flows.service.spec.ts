import {
  AccountFactObservedSchema,
  BankTransferReceivedSchema,
  TOPICS,
  VaTransferReceivedSchema,
  VictimReportFiledSchema,
  FxRatePublishedSchema,
  bankTransferIdOf,
} from '@scamflow/contracts';
import { toMinorUnits } from '@scamflow/money';
import type { AccountTruth, GroundTruthRecord, TransferTruth } from './ground-truth';
import { SCENARIOS } from './scenarios';
import { GROUND_TRUTH_STREAM, simulateFlows, type SimulatedLine } from './simulate-flows.service';

const run = (seed: number, scenario = SCENARIOS.demo, transfers?: number): SimulatedLine[] => [
  ...simulateFlows({ scenario, seed, transfers }),
];

const feedOf = (lines: readonly SimulatedLine[], topic: string): unknown[] =>
  lines.filter((l) => l.stream === topic).map((l): unknown => JSON.parse(l.line));

const truthOf = (lines: readonly SimulatedLine[]): GroundTruthRecord[] =>
  lines.filter((l) => l.stream === GROUND_TRUTH_STREAM).map((l) => JSON.parse(l.line) as GroundTruthRecord);

const minorOf = (value: string, currency: string): bigint => {
  const parsed = toMinorUnits(value, currency);
  if (!parsed.ok) throw new Error(parsed.reason);
  return BigInt(parsed.value.amountMinor);
};

describe('simulateFlows', () => {
  const demo = run(42);

  it('repeats itself exactly for the same seed and differs for another seed', () => {
    expect(run(42)).toEqual(demo);
    expect(run(43).map((l) => l.line)).not.toEqual(demo.map((l) => l.line));
  });

  it('emits a demo-sized feed in which every event passes its contract and carries no labels', () => {
    const schemas = [
      [TOPICS.bankTransferReceived, BankTransferReceivedSchema],
      [TOPICS.vaTransferReceived, VaTransferReceivedSchema],
      [TOPICS.accountFactObserved, AccountFactObservedSchema],
      [TOPICS.victimReportFiled, VictimReportFiledSchema],
    ] as const;
    let events = 0;
    for (const [topic, schema] of schemas) {
      for (const event of feedOf(demo, topic)) {
        expect(schema.safeParse(event).success).toBe(true);
        events += 1;
      }
    }
    expect(events).toBeGreaterThan(200);
    expect(events).toBeLessThan(1000);
    const feedText = demo.filter((l) => l.stream !== GROUND_TRUTH_STREAM).map((l) => l.line);
    expect(feedText.filter((line) => /OP-\d|operationId|"role"|proceeds/.test(line))).toEqual([]);
    expect(new Set(truthOf(demo).flatMap((t) => (t.operationId ? [t.operationId] : []))).size).toBe(3);
  });

  it('keys feed events as the contracts say: debtor, customer or address, account, case, currency pair', () => {
    for (const line of demo) {
      if (line.stream === GROUND_TRUTH_STREAM) continue;
      const event = JSON.parse(line.line) as Record<string, unknown>;
      const expected =
        line.stream === TOPICS.bankTransferReceived
          ? BankTransferReceivedSchema.parse(event).debtor.accountId
          : line.stream === TOPICS.accountFactObserved
            ? AccountFactObservedSchema.parse(event).accountId
            : line.stream === TOPICS.victimReportFiled
              ? VictimReportFiledSchema.parse(event).caseId
              : line.stream === TOPICS.fxRatePublished
                ? ((r) => `${r.base}:${r.quote}`)(FxRatePublishedSchema.parse(event))
                : ((e) => (e.kind === 'ledger' ? e.customerAccountId : e.from.address))(
                    VaTransferReceivedSchema.parse(event),
                  );
      expect(line.key).toBe(expected);
    }
  });

  it.each([
    ['demo', run(7)],
    ['standard at a small volume', run(7, SCENARIOS.standard, 3000)],
    ['realistic at a small volume', run(7, SCENARIOS.realistic, 3000)],
  ])('keeps the %s ground truth consistent with the feed', (_name, lines) => {
    const truth = truthOf(lines);
    const accounts = new Map(
      truth.filter((t): t is AccountTruth => t.record === 'account').map((t) => [t.accountKey, t]),
    );
    const transfers = truth.filter((t): t is TransferTruth => t.record === 'transfer');
    const proceeds = transfers.filter((t) => t.proceeds);
    expect(proceeds.length).toBeGreaterThan(0);

    // Every proceeds transfer runs between labelled accounts of its own operation.
    for (const t of proceeds) {
      for (const key of [t.fromKey, t.toKey]) {
        expect(accounts.get(key)?.operationId).toBe(t.operationId);
      }
      expect(t.victimKeys?.length).toBeGreaterThan(0);
    }
    // Every mule receives proceeds; several victims' money meets in at least one mule.
    const mules = [...accounts.values()].filter((a) => a.role === 'mule');
    expect(mules.length).toBeGreaterThan(0);
    for (const mule of mules) expect(proceeds.some((t) => t.toKey === mule.accountKey)).toBe(true);
    const victimsPerMule = mules.map(
      (m) =>
        new Set(proceeds.filter((t) => t.toKey === m.accountKey).flatMap((t) => t.victimKeys ?? [])).size,
    );
    expect(Math.max(...victimsPerMule)).toBeGreaterThan(1);

    // Victim reports reference bank transfers that exist in the feed and were paid by the reporting victim.
    const bankFeed = new Map(
      feedOf(lines, TOPICS.bankTransferReceived)
        .map((e) => BankTransferReceivedSchema.parse(e))
        .map((e) => [bankTransferIdOf(e.reportedBy, e.transferId), e]),
    );
    const reports = feedOf(lines, TOPICS.victimReportFiled).map((e) => VictimReportFiledSchema.parse(e));
    expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) {
      for (const { reference } of report.reportedTransfers) {
        if (!reference) continue;
        const paid = bankFeed.get(bankTransferIdOf(reference.reportedBy, reference.transferId));
        expect(paid?.debtor.accountId).toBe(report.victimAccounts[0]?.accountId);
        expect(Date.parse(report.reportedAt)).toBeGreaterThan(Date.parse(paid?.bookedAt ?? ''));
      }
    }

    // Every transfer in the feed has exactly one ground-truth record and vice versa.
    const truthKeys = new Set(transfers.map((t) => t.transferKey));
    expect(truthKeys.size).toBe(transfers.length);
    for (const key of bankFeed.keys()) expect(truthKeys.has(key)).toBe(true);
  });

  it('states mule and collector proceeds that match the feed amounts exactly', () => {
    const truth = truthOf(demo);
    const inflow = new Map<string, bigint>();
    const outflow = new Map<string, bigint>();
    for (const e of feedOf(demo, TOPICS.bankTransferReceived).map((x) =>
      BankTransferReceivedSchema.parse(x),
    )) {
      const amount = minorOf(e.amount.value, e.amount.currency);
      const from = `${e.debtor.bankId}:${e.debtor.accountId}`;
      const to = `${e.creditor.bankId}:${e.creditor.accountId}`;
      outflow.set(from, (outflow.get(from) ?? 0n) + amount);
      inflow.set(to, (inflow.get(to) ?? 0n) + amount);
    }
    for (const e of feedOf(demo, TOPICS.vaTransferReceived).map((x) => VaTransferReceivedSchema.parse(x))) {
      if (e.kind !== 'ledger' || !('bankAccount' in e.counterparty) || e.movement !== 'deposit') continue;
      const from = `${e.counterparty.bankAccount.bankId}:${e.counterparty.bankAccount.accountId}`;
      outflow.set(from, (outflow.get(from) ?? 0n) + minorOf(e.amount, e.asset.symbol));
    }
    const launderers = truth.filter(
      (t): t is AccountTruth => t.record === 'account' && (t.role === 'mule' || t.role === 'collector'),
    );
    expect(launderers.length).toBeGreaterThan(0);
    for (const account of launderers) {
      const stated = account.proceeds;
      expect(stated).toBeDefined();
      expect(inflow.get(account.accountKey) ?? 0n).toBe(BigInt(stated?.inMinor ?? '-1'));
      expect(outflow.get(account.accountKey) ?? 0n).toBe(BigInt(stated?.outMinor ?? '-1'));
      // Pass-through: forwarded at most what arrived, and at least 99 % of it.
      const [inMinor, outMinor] = [BigInt(stated?.inMinor ?? '0'), BigInt(stated?.outMinor ?? '0')];
      expect(outMinor <= inMinor && outMinor * 100n >= inMinor * 99n).toBe(true);
    }
  });

  it('emits each feed in event-time order', () => {
    const timeOf = (e: unknown): number => {
      const o = e as { bookedAt?: string; blockTime?: string; observedAt?: string; reportedAt?: string };
      return Date.parse(o.bookedAt ?? o.blockTime ?? o.observedAt ?? o.reportedAt ?? '');
    };
    for (const topic of [TOPICS.bankTransferReceived, TOPICS.vaTransferReceived, TOPICS.victimReportFiled]) {
      const times = feedOf(demo, topic).map(timeOf);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('namespaces devices and phones too: two namespaces of one seed share no identifier or account', () => {
    const identifiers = (namespace: string) => {
      const lines = [...simulateFlows({ scenario: SCENARIOS.demo, seed: 42, namespace })];
      const facts = feedOf(lines, TOPICS.accountFactObserved).map((e) => AccountFactObservedSchema.parse(e));
      return {
        values: new Set(facts.flatMap((f) => (f.kind === 'identifier-seen' ? [f.identifierValue] : []))),
        accounts: new Set(facts.map((f) => f.accountId)),
      };
    };
    const [a, b] = [identifiers('a1b2'), identifiers('c3d4')];
    expect(a.values.size).toBeGreaterThan(100);
    expect([...a.values].filter((v) => b.values.has(v))).toEqual([]);
    expect([...a.accounts].filter((v) => b.accounts.has(v))).toEqual([]);
  });
});

describe('the realistic scenario', () => {
  const lines = run(7, SCENARIOS.realistic, 3000);
  const truth = truthOf(lines);
  const bank = feedOf(lines, TOPICS.bankTransferReceived).map((e) => BankTransferReceivedSchema.parse(e));
  const keyOf = (p: { bankId: string; accountId: string }) => `${p.bankId}:${p.accountId}`;
  const roleOf = new Map(
    truth.filter((t): t is AccountTruth => t.record === 'account').map((t) => [t.accountKey, t]),
  );

  it('has about one victim in five report', () => {
    const victims = [...roleOf.values()].filter((a) => a.role === 'victim').length;
    const reports = feedOf(lines, TOPICS.victimReportFiled).length;
    expect(victims).toBeGreaterThan(200);
    expect(reports / victims).toBeGreaterThan(0.12);
    expect(reports / victims).toBeLessThan(0.3);
  });

  it('has first-layer mules forwarding within minutes, within hours and after a day', () => {
    const proceeds = truth.filter((t): t is TransferTruth => t.record === 'transfer' && t.proceeds);
    const at = new Map(
      bank.map((e) => [bankTransferIdOf(e.reportedBy, e.transferId), Date.parse(e.bookedAt)]),
    );
    const firstLayer = new Set(
      [...roleOf.values()].filter((a) => a.role === 'mule' && a.layer === 1).map((a) => a.accountKey),
    );
    // From a mule's first proceeds in to its first proceeds out: each credit is forwarded after its own delay.
    const firstOf = (keyOfLeg: (t: TransferTruth) => string) => {
      const first = new Map<string, number>();
      for (const t of proceeds) {
        const key = keyOfLeg(t);
        if (!firstLayer.has(key)) continue;
        first.set(key, Math.min(first.get(key) ?? Infinity, at.get(t.transferKey) ?? Infinity));
      }
      return first;
    };
    const firstIn = firstOf((t) => t.toKey);
    const firstOut = firstOf((t) => t.fromKey);
    const fastestForward = new Map(
      [...firstOut].map(([key, out]) => [key, out - (firstIn.get(key) ?? out)] as const),
    );
    const dwells = [...fastestForward.values()];
    expect(dwells.some((d) => d <= 20 * 60_000)).toBe(true);
    expect(dwells.some((d) => d >= 60 * 60_000 && d < 9 * 60 * 60_000)).toBe(true);
    expect(dwells.some((d) => d >= 20 * 60 * 60_000)).toBe(true);

    // The ground truth says each operation's time scale, the same for all its accounts: slow mules dwell longer.
    const scaleOf = (key: string) => roleOf.get(key)?.timeScale;
    const longest = (scale: string) =>
      Math.max(...[...fastestForward].filter(([key]) => scaleOf(key) === scale).map(([, d]) => d));
    expect(longest('minutes')).toBeLessThan(60 * 60_000);
    expect(longest('days')).toBeGreaterThanOrEqual(20 * 60 * 60_000);
    const operations = new Map<string, Set<string | undefined>>();
    for (const a of roleOf.values()) {
      if (a.operationId === undefined) continue;
      operations.set(a.operationId, (operations.get(a.operationId) ?? new Set()).add(a.timeScale));
    }
    expect([...operations.values()].every((scales) => scales.size === 1)).toBe(true);
    expect(new Set([...operations.values()].flatMap((scales) => [...scales]))).toEqual(
      new Set(['minutes', 'hours', 'days']),
    );
  });

  it('has legitimate look-alikes: normal accounts paid by five or more people within an hour, and split top-ups', () => {
    const normal = (key: string) => roleOf.get(key)?.role === 'normal';
    const inflows = new Map<string, { from: string; at: number }[]>();
    for (const e of bank) {
      const to = keyOf(e.creditor);
      if (!normal(to)) continue;
      inflows.set(to, [...(inflows.get(to) ?? []), { from: keyOf(e.debtor), at: Date.parse(e.bookedAt) }]);
    }
    const collects = [...inflows.values()].filter((legs) =>
      legs.some(
        (leg) =>
          new Set(legs.filter((l) => l.at >= leg.at && l.at - leg.at <= 60 * 60_000).map((l) => l.from))
            .size >= 5,
      ),
    );
    const splits = [...inflows.values()].filter((legs) =>
      legs.some(
        (leg) =>
          legs.filter((l) => l.from === leg.from && Math.abs(l.at - leg.at) < 24 * 60 * 60_000).length >= 2,
      ),
    );
    expect(collects.length).toBeGreaterThan(5);
    expect(splits.length).toBeGreaterThan(5);
  });
});
