import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import Redis from 'ioredis';
import {
  TOPICS,
  TYPOLOGIES,
  type AlertRaised,
  type BankTransferReceived,
  type FxRatePublished,
  type VaTransferReceived,
  type VictimReportFiled,
} from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { createNeo4jDriver, neo4jConnectionOf } from '@scamflow/graph';
import { redisKeys } from '@scamflow/rolling-state';
import { loadProceedsTracerConfig } from '../../apps/proceeds-tracer/src/proceeds-tracer.config';
import { TraceVictimCasesService } from '../../apps/proceeds-tracer/src/trace-victim-cases.service';
import { reconcileStoredCases } from '../../infra/local/trace-reconcile';
import { expectEventually } from '../support/expect-eventually';
import { GraphProbe } from '../support/graph-probe';
import { GroupOffsets } from '../support/group-offsets';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const MIN = 60_000;
const base = Date.now() - 3 * 60 * MIN;
const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
const BANK_A = `BA${run}`;
const BANK_B = `BB${run}`;
const BANK_C = `BC${run}`;
const TH_VASP = `TV${run}`;
const KH_VASP = `KV${run}`;
const hash = (n: number) => `${run.toLowerCase()}${String(n).padStart(4, '0')}`.padEnd(64, 'c');
const address = (name: string) => `T${name}${run}`.padEnd(34, 'x');
const usdt = { symbol: 'USDT', decimals: 6 };

const bankTransfer = (
  id: string,
  from: [string, string],
  to: [string, string],
  value: string,
  minutes: number,
): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: from[0],
  transferId: `${id}-${run}`,
  bookedAt: at(minutes),
  amount: { value, currency: 'THB' },
  debtor: { accountId: `${from[1]}-${run}`, bankId: from[0], country: 'TH' },
  creditor: { accountId: `${to[1]}-${run}`, bankId: to[0], country: 'TH' },
});

/**
 * Reference rates: 1 THB = 0.025 USD, 1 USDT = 1 USD, so the trace (mixed assets) runs in USD cents.
 * t1 victim A pays mule-1 THB 120,000 (USD 3,000); t2 a shop pays mule-1 THB 50,000 (USD 1,250, clean);
 * t3 victim B pays mule-1 THB 30,000 (USD 750); t4 mule-1 sends THB 144,000 (USD 3,600) to mule-2, which
 * deposits it at a Thai VASP, withdraws USDT 3,600 to an unhosted wallet (ledger + on-chain twin), which pays a
 * Cambodian VASP's deposit address, credited to its customer K.
 */
const victimA: [string, string] = [BANK_A, 'victim-a'];
const victimB: [string, string] = [BANK_A, 'victim-b'];
const mule1: [string, string] = [BANK_B, 'mule-1'];
const mule2: [string, string] = [BANK_C, 'mule-2'];
const bankFlow = [
  bankTransfer('t1', victimA, mule1, '120000.00', 0),
  bankTransfer('t2', [BANK_A, 'shop'], mule1, '50000.00', 2),
  bankTransfer('t3', victimB, mule1, '30000.00', 3),
  bankTransfer('t4', mule1, mule2, '144000.00', 4),
  // Domestic look-alike: victim D's money stays in Thai bank accounts.
  bankTransfer('d1', [BANK_A, 'victim-d'], [BANK_B, 'mule-3'], '10000.00', 0),
  bankTransfer('d2', [BANK_B, 'mule-3'], [BANK_C, 'mule-4'], '9000.00', 5),
];
const customerK = `K-${run}`;
const vaFlow: VaTransferReceived[] = [
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: TH_VASP,
    vaspCountry: 'TH',
    movementId: `DEP-${run}`,
    movement: 'deposit',
    customerAccountId: `U-${run}`,
    asset: { symbol: 'THB', decimals: 2 },
    amount: '144000.00',
    bookedAt: at(6),
    counterparty: { bankAccount: { accountId: `mule-2-${run}`, bankId: BANK_C, country: 'TH' } },
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: TH_VASP,
    vaspCountry: 'TH',
    movementId: `WD-${run}`,
    movement: 'withdrawal',
    customerAccountId: `U-${run}`,
    asset: usdt,
    amount: '3600',
    bookedAt: at(10),
    counterparty: { chain: 'tron', address: address('hop') },
    txHash: hash(1),
  },
  // The same withdrawal seen on chain, from the VASP's hot wallet: one movement, counted once.
  {
    schemaVersion: 1,
    kind: 'onchain',
    reportedBy: 'CHAINWATCH',
    chain: 'tron',
    txHash: hash(1),
    logIndex: 0,
    from: { address: address('hot'), attribution: { kind: 'hot-wallet', vaspId: TH_VASP, country: 'TH' } },
    to: { address: address('hop'), attribution: { kind: 'unhosted' } },
    asset: usdt,
    amount: '3600',
    blockTime: at(10),
  },
  {
    schemaVersion: 1,
    kind: 'onchain',
    reportedBy: 'CHAINWATCH',
    chain: 'tron',
    txHash: hash(2),
    logIndex: 0,
    from: { address: address('hop'), attribution: { kind: 'unhosted' } },
    to: {
      address: address('dep'),
      attribution: { kind: 'deposit-address', vaspId: KH_VASP, country: 'KH', customerAccountId: customerK },
    },
    asset: usdt,
    amount: '3600',
    blockTime: at(15),
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: KH_VASP,
    vaspCountry: 'KH',
    movementId: `KDEP-${run}`,
    movement: 'deposit',
    customerAccountId: customerK,
    asset: usdt,
    amount: '3600',
    bookedAt: at(16),
    counterparty: { chain: 'tron', address: address('dep') },
  },
];
/** Later: K withdraws USDT 1,000 to an unhosted wallet. */
const onward: VaTransferReceived = {
  schemaVersion: 1,
  kind: 'ledger',
  reportedBy: KH_VASP,
  vaspCountry: 'KH',
  movementId: `KWD-${run}`,
  movement: 'withdrawal',
  customerAccountId: customerK,
  asset: usdt,
  amount: '1000',
  bookedAt: at(30),
  counterparty: { chain: 'tron', address: address('out') },
};

const rate = (baseCurrency: string, value: string): FxRatePublished => ({
  schemaVersion: 1,
  base: baseCurrency,
  quote: 'USD',
  rate: value,
  validFrom: new Date(base - 24 * 60 * MIN).toISOString(),
  source: `e2e-${run}`,
});

const report = (
  caseId: string,
  victim: [string, string],
  reportedTransfers: VictimReportFiled['reportedTransfers'],
): VictimReportFiled => ({
  schemaVersion: 1,
  caseId,
  version: 1,
  reportingChannel: 'hotline-1441',
  reportedAt: at(45),
  scamType: 'call-centre-impersonation',
  victimAccounts: [{ accountId: `${victim[1]}-${run}`, institutionId: victim[0], country: 'TH' }],
  reportedTransfers,
});
const CASE_A = `CASE-A-${run}`;
const CASE_B = `CASE-B-${run}`;
const CASE_D = `CASE-D-${run}`;

const graphIds = [
  ...bankFlow.map((t) => `bank:${t.reportedBy}:${t.transferId}`),
  `vasp:${TH_VASP}:DEP-${run}`,
  `vasp:${TH_VASP}:WD-${run}`,
  `onchain:tron:${hash(1)}:0`,
  `onchain:tron:${hash(2)}:0`,
  `vasp:${KH_VASP}:KDEP-${run}`,
];
const K_KEY = `${KH_VASP}:${customerK}`;
const MULE1_KEY = `${BANK_B}:mule-1-${run}`;

describe('cross-border proceeds: victim report → bank mules → VASP → chain → foreign VASP', () => {
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let redis: Redis;
  const graph = new GraphProbe();
  const servers = testServers();
  const env = serviceEnv(run.toLowerCase());

  beforeAll(async () => {
    const probeGroup = `cross-border-probe-${run}`;
    await Promise.all([
      startServiceGroupsAtEnd(env),
      startGroupsAtEnd(servers.kafkaBrokers, [{ groupId: probeGroup, topics: [TOPICS.alertRaised] }]),
    ]);
    apps = await startPipeline(env, ['ingest-gateway', 'graph-writer', 'proceeds-tracer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.alertRaised], probeGroup);
    redis = new Redis(servers.redisUrl, { keyPrefix: env.REDIS_KEY_PREFIX });

    // Rates first: a transfer converted before its rate is known would carry no reference amount.
    await probe.produce(TOPICS.fxRatePublished, [
      { key: 'THB/USD', value: JSON.stringify(rate('THB', '0.025')) },
      { key: 'USDT/USD', value: JSON.stringify(rate('USDT', '1')) },
    ]);
    await expectEventually(async () => {
      expect(await redis.zcard(redisKeys.fxRates('THB', 'USD'))).toBe(1);
      expect(await redis.zcard(redisKeys.fxRates('USDT', 'USD'))).toBe(1);
    });
    await probe.produce(
      TOPICS.bankTransferReceived,
      bankFlow.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );
    await probe.produce(
      TOPICS.vaTransferReceived,
      vaFlow.map((e) => ({
        key: e.kind === 'onchain' ? e.from.address : e.customerAccountId,
        value: JSON.stringify(e),
      })),
    );
    // Victims report after paying: the graph holds the whole flow when the reports arrive.
    await expectEventually(
      async () => {
        for (const id of graphIds) expect(await graph.copies(id)).toBe(1);
      },
      { timeoutMs: 60_000 },
    );
    await probe.produce(TOPICS.victimReportFiled, [
      {
        key: CASE_A,
        value: JSON.stringify(
          report(CASE_A, victimA, [{ reference: { reportedBy: BANK_A, transferId: `t1-${run}` } }]),
        ),
      },
      {
        // Victim B knows only what they paid and roughly when.
        key: CASE_B,
        value: JSON.stringify(
          report(CASE_B, victimB, [{ amount: { value: '30000.00', currency: 'THB' }, paidAt: at(20) }]),
        ),
      },
      {
        key: CASE_D,
        value: JSON.stringify(
          report(
            CASE_D,
            [BANK_A, 'victim-d'],
            [{ reference: { reportedBy: BANK_A, transferId: `d1-${run}` } }],
          ),
        ),
      },
    ]);
  }, 180_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await graph.close();
    redis?.disconnect();
  });

  const alerts = (): AlertRaised[] => probe.alerts();
  const crossBorder = (caseId: string) =>
    alerts().filter(
      (a) => a.typology === TYPOLOGIES.crossBorderProceeds && a.tracing?.victims[0]?.caseId === caseId,
    );
  const latest = (list: AlertRaised[]) =>
    list.reduce<AlertRaised | undefined>(
      (best, a) => (!best || a.version > best.version ? a : best),
      undefined,
    );
  const held = (alert: AlertRaised | undefined, accountKey: string, rule: string) =>
    alert?.tracing?.holders
      .find((h) => h.account.accountKey === accountKey)
      ?.amounts.find((a) => a.rule === rule)?.amount;
  const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD', scale: 2 });

  it('raises one cross-border alert for victim A with FIFO and haircut amounts computed by hand', async () => {
    const alert = await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_A));
        // mule-1 holds A 3,000 (oldest), clean 1,250, B 750 when it sends 3,600 on.
        // FIFO: all of A's 3,000 leaves and ends at K. Haircut: 3,600 x 3,000/5,000 = 2,160 reaches K.
        expect(held(found, K_KEY, 'fifo')).toEqual(usd('300000'));
        expect(held(found, K_KEY, 'haircut')).toEqual(usd('216000'));
        return found;
      },
      { timeoutMs: 90_000 },
    );
    // Haircut leaves 3,000 - 2,160 = 840 of A at mule-1; FIFO leaves none.
    expect(held(alert, MULE1_KEY, 'haircut')).toEqual(usd('84000'));
    expect(held(alert, MULE1_KEY, 'fifo')).toEqual(usd('0'));
    expect(alert?.subject).toMatchObject({ accountKey: `${BANK_A}:victim-a-${run}`, role: 'victim' });
    expect(alert?.tracing?.holders.find((h) => h.account.accountKey === K_KEY)?.crossBorderReasons).toEqual([
      'foreign-jurisdiction:KH',
      `vasp-customer-account:${KH_VASP}`,
    ]);
    // The withdrawal is one movement: its on-chain twin from the hot wallet is not in the path.
    expect(alert?.evidence.edges.map((e) => e.transferId)).not.toContain(`onchain:tron:${hash(1)}:0`);
    expect(alert?.evidence.edges).toHaveLength(6);
    expect(alert?.recommendedActions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'freeze-request',
          institutionId: KH_VASP,
          rule: 'fifo',
          amount: usd('300000'),
        }),
        expect.objectContaining({ kind: 'international-request', country: 'KH' }),
      ]),
    );
    expect(new Set(crossBorder(CASE_A).map((a) => a.alertId)).size).toBe(1);
  });

  it("gives victim B, whose money mixed in the same mule, only B's own share", async () => {
    const alert = await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_B));
        // B's 750 is the newest lot at mule-1: FIFO keeps it there; haircut sends 3,600 x 750/5,000 = 540 on.
        expect(held(found, K_KEY, 'fifo')).toEqual(usd('0'));
        expect(held(found, K_KEY, 'haircut')).toEqual(usd('54000'));
        return found;
      },
      { timeoutMs: 90_000 },
    );
    expect(held(alert, MULE1_KEY, 'fifo')).toEqual(usd('75000'));
    expect(held(alert, MULE1_KEY, 'haircut')).toEqual(usd('21000'));
    expect(alert?.tracing?.holders.flatMap((h) => h.amounts.flatMap((a) => a.caseId ?? []))).not.toContain(
      CASE_A,
    );
  });

  it('raises no cross-border alert when the victim’s money stays domestic', async () => {
    // The proximity alert on mule-3 shows case D was traced (both come from the same trace and publish).
    await expectEventually(
      () => {
        const proximity = alerts().filter(
          (a) =>
            a.typology === TYPOLOGIES.proximityToProceeds &&
            a.subject.accountKey === `${BANK_B}:mule-3-${run}` &&
            a.tracing?.victims.some((v) => v.caseId === CASE_D),
        );
        expect(proximity.length).toBeGreaterThan(0);
      },
      { timeoutMs: 90_000 },
    );
    expect(crossBorder(CASE_D)).toEqual([]);
  });

  it('updates the same alert with a new version when the money moves on, never a second alert', async () => {
    const before = await expectEventually(() => {
      const found = latest(crossBorder(CASE_A));
      expect(found).toBeDefined();
      return found as AlertRaised;
    });
    await probe.produce(TOPICS.vaTransferReceived, [{ key: customerK, value: JSON.stringify(onward) }]);
    const after = await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_A));
        // K's 3,600 = A 3,000 + clean 600 (FIFO): the 1,000 out is A's. Haircut: 1,000 x 2,160/3,600 = 600.
        expect(held(found, K_KEY, 'fifo')).toEqual(usd('200000'));
        expect(held(found, K_KEY, 'haircut')).toEqual(usd('156000'));
        return found as AlertRaised;
      },
      { timeoutMs: 90_000 },
    );
    expect(after.alertId).toBe(before.alertId);
    expect(after.version).toBeGreaterThan(before.version);
    expect(new Set(crossBorder(CASE_A).map((a) => a.alertId)).size).toBe(1);
    // The wallet now holds A's 1,000 (FIFO): carried forward from the stored state, not re-traced from the graph.
    expect(held(after, `tron:${address('out')}`, 'fifo')).toEqual(usd('100000'));
    const stored = JSON.parse((await redis.hget(redisKeys.proceedsCase(CASE_A), 'record')) ?? '{}') as {
      record?: { carried?: number };
    };
    expect(stored.record?.carried).toBe(1);
    expect(await redis.hexists(redisKeys.proceedsState(`tron:${address('out')}`), CASE_A)).toBe(1);
  });

  it('moves the money on through a wallet whose onward payment was committed before the money reached it', async () => {
    // Committed against event order: the wallet's payment on (minute 50) reaches the tracer first, while the
    // wallet holds nothing of any case; K's payment into it (minute 40) comes after. The wallet's onward payment
    // must still carry A's money on, as a trace of the whole graph would.
    const offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
    try {
      const walletPaysOn: VaTransferReceived = {
        schemaVersion: 1,
        kind: 'onchain',
        reportedBy: 'CHAINWATCH',
        chain: 'tron',
        txHash: hash(3),
        logIndex: 0,
        from: { address: address('out2'), attribution: { kind: 'unhosted' } },
        to: { address: address('far'), attribution: { kind: 'unhosted' } },
        asset: usdt,
        amount: '300',
        blockTime: at(50),
      };
      await probe.produce(TOPICS.vaTransferReceived, [
        { key: address('out2'), value: JSON.stringify(walletPaysOn) },
      ]);
      await expectEventually(async () => expect(await graph.copies(`onchain:tron:${hash(3)}:0`)).toBe(1), {
        timeoutMs: 60_000,
      });
      // graph-writer has announced it (its offsets move after the announcement), and the tracer has read that.
      await offsets.waitForGroup(
        env.GRAPH_WRITER_GROUP_ID!,
        TOPICS.transferAccepted,
        await offsets.topicEnds(TOPICS.transferAccepted),
      );
      await offsets.waitForGroup(
        env.PROCEEDS_TRACER_GROUP_ID!,
        TOPICS.graphCommitted,
        await offsets.topicEnds(TOPICS.graphCommitted),
      );
      const kPaysWallet: VaTransferReceived = {
        ...onward,
        movementId: `KWD2-${run}`,
        amount: '500',
        bookedAt: at(40),
        counterparty: { chain: 'tron', address: address('out2') },
      };
      await probe.produce(TOPICS.vaTransferReceived, [
        { key: customerK, value: JSON.stringify(kPaysWallet) },
      ]);

      // K held [A 2,000, clean 600] (FIFO) and 1,560 of 2,600 under haircut (0.6) after the 1,000 out.
      // FIFO: 500 A to the wallet, which pays 300 A on. Haircut: 300 to the wallet, 300 x 300/500 = 180 on.
      await expectEventually(
        () => {
          const found = latest(crossBorder(CASE_A));
          expect({
            wallet: [
              held(found, `tron:${address('out2')}`, 'fifo'),
              held(found, `tron:${address('out2')}`, 'haircut'),
            ],
            far: [
              held(found, `tron:${address('far')}`, 'fifo'),
              held(found, `tron:${address('far')}`, 'haircut'),
            ],
          }).toEqual({ wallet: [usd('20000'), usd('12000')], far: [usd('30000'), usd('18000')] });
        },
        { timeoutMs: 90_000 },
      );
    } finally {
      await offsets.disconnect();
    }
  });
  it('traces a case reported before its payment was committed once the payment is, and stops watching its victim', async () => {
    // Victim E reports first (the bank's feed is late); the payment the report names (e1, THB 40,000) and the
    // mule's payment to a Cambodian bank account (e2, THB 36,000) are committed after the case was traced empty.
    const CASE_E = `CASE-E-${run}`;
    const victimE: [string, string] = [BANK_A, 'victim-e'];
    const victimKey = `${BANK_A}:victim-e-${run}`;
    const tracer = apps[2]!.get(TraceVictimCasesService);
    await probe.produce(TOPICS.victimReportFiled, [
      {
        key: CASE_E,
        value: JSON.stringify(
          report(CASE_E, victimE, [{ reference: { reportedBy: BANK_A, transferId: `e1-${run}` } }]),
        ),
      },
    ]);
    await expectEventually(
      async () => expect(await redis.hget(redisKeys.victimPaymentWatch(victimKey), CASE_E)).not.toBeNull(),
      { timeoutMs: 60_000 },
    );
    const before = { ...tracer.retraces };
    const foreignBank: BankTransferReceived = {
      ...bankTransfer('e2', [BANK_B, 'mule-5'], [BANK_C, 'abroad'], '36000.00', 22),
      creditor: { accountId: `abroad-${run}`, bankId: `KB${run}`, country: 'KH' },
    };
    await probe.produce(TOPICS.bankTransferReceived, [
      {
        key: `victim-e-${run}`,
        value: JSON.stringify(bankTransfer('e1', victimE, [BANK_B, 'mule-5'], '40000.00', 20)),
      },
      { key: `mule-5-${run}`, value: JSON.stringify(foreignBank) },
    ]);

    // All THB: the case traces in THB. FIFO and haircut alike: 36,000 of E's 40,000 abroad, 4,000 at mule-5.
    const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
    const alert = await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_E));
        expect({
          abroad: [
            held(found, `KB${run}:abroad-${run}`, 'fifo'),
            held(found, `KB${run}:abroad-${run}`, 'haircut'),
          ],
          mule: held(found, `${BANK_B}:mule-5-${run}`, 'fifo'),
        }).toEqual({ abroad: [thb('3600000'), thb('3600000')], mule: thb('400000') });
        return found!;
      },
      { timeoutMs: 90_000 },
    );
    expect(alert.tracing?.victims[0]?.caseId).toBe(CASE_E);
    // The payment the report named traced the case from the graph once (the victim's watch).
    expect(tracer.retraces['victim-payment']).toBe(before['victim-payment'] + 1);
    // Its payment found, the victim is no longer watched for it.
    expect(await redis.hget(redisKeys.victimPaymentWatch(victimKey), CASE_E)).toBeNull();
  });

  it('rewinds a case from its journal when a transfer arrives late, with no trace of the graph', async () => {
    // After E's case was traced, mule-5 (holding E's 4,000) pays 2,000 to a second Cambodian account at minute 30:
    // carried, FIFO and haircut alike all E's. Then a clean 10,000 into mule-5 booked at minute 25 arrives. In
    // event order mule-5 held [E 4,000, clean 10,000] when it paid: FIFO still 2,000 of E's; haircut
    // 2,000 x 4,000/14,000 = 571.428... -> 571.42 (rounded down), leaving 4,000 - 571.42 = 3,428.58 at mule-5.
    const CASE_E = `CASE-E-${run}`;
    const tracer = apps[2]!.get(TraceVictimCasesService);
    const abroad2 = `KB${run}:abroad-2-${run}`;
    const mule5 = `${BANK_B}:mule-5-${run}`;
    const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
    const payOn: BankTransferReceived = {
      ...bankTransfer('e3', [BANK_B, 'mule-5'], [BANK_C, 'abroad-2'], '2000.00', 30),
      creditor: { accountId: `abroad-2-${run}`, bankId: `KB${run}`, country: 'KH' },
    };
    await probe.produce(TOPICS.bankTransferReceived, [
      { key: `mule-5-${run}`, value: JSON.stringify(payOn) },
    ]);
    await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_E));
        expect([held(found, abroad2, 'fifo'), held(found, abroad2, 'haircut')]).toEqual([
          thb('200000'),
          thb('200000'),
        ]);
      },
      { timeoutMs: 90_000 },
    );
    const before = { ...tracer.retraces };

    await probe.produce(TOPICS.bankTransferReceived, [
      {
        key: `shop-e-${run}`,
        value: JSON.stringify(bankTransfer('e-late', [BANK_A, 'shop-e'], [BANK_B, 'mule-5'], '10000.00', 25)),
      },
    ]);

    await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_E));
        expect({
          abroad2: [held(found, abroad2, 'fifo'), held(found, abroad2, 'haircut')],
          mule5: [held(found, mule5, 'fifo'), held(found, mule5, 'haircut')],
        }).toEqual({
          abroad2: [thb('200000'), thb('57142')],
          mule5: [thb('200000'), thb('342858')],
        });
      },
      { timeoutMs: 90_000 },
    );
    // Carried from the journal: the case was not traced from the graph again, for lateness or any reason.
    expect(tracer.retraces).toEqual(before);
    const journal = await redis.zrange(redisKeys.proceedsCaseJournal(CASE_E), 0, -1);
    const ids = journal.map((e) => (JSON.parse(e) as { i: string }).i).join(' ');
    expect(ids).toContain(`e-late-${run}`);
    expect(ids).toContain(`e3-${run}`);
  });

  it('traces a case again when a payment arrives late at a mule it left, booked before the mule paid on', async () => {
    // Victim F pays mule-6 10,000 at minute 20; mule-6 pays 9,995 abroad at 22 and keeps 5 (0.05 %, below the
    // follow share: it leaves the case's state, with a mark). Then a clean 3,000 into mule-6 booked at minute 19
    // arrives. Under FIFO that older clean money leaves first: 3,000 clean + 6,995 of F's went abroad, and mule-6
    // still holds 3,005 of F's. Only a trace of the graph can put that right: the mark makes the payment late.
    const CASE_F = `CASE-F-${run}`;
    const victimF: [string, string] = [BANK_A, 'victim-f'];
    const tracer = apps[2]!.get(TraceVictimCasesService);
    const abroadF = `KB${run}:abroad-f-${run}`;
    const mule6 = `${BANK_B}:mule-6-${run}`;
    const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
    const payAbroad: BankTransferReceived = {
      ...bankTransfer('f2', [BANK_B, 'mule-6'], [BANK_C, 'abroad-f'], '9995.00', 22),
      creditor: { accountId: `abroad-f-${run}`, bankId: `KB${run}`, country: 'KH' },
    };
    await probe.produce(TOPICS.bankTransferReceived, [
      {
        key: `victim-f-${run}`,
        value: JSON.stringify(bankTransfer('f1', victimF, [BANK_B, 'mule-6'], '10000.00', 20)),
      },
      { key: `mule-6-${run}`, value: JSON.stringify(payAbroad) },
    ]);
    await expectEventually(
      async () => {
        for (const id of ['f1', 'f2'])
          expect(await graph.copies(`bank:${id === 'f1' ? BANK_A : BANK_B}:${id}-${run}`)).toBe(1);
      },
      { timeoutMs: 60_000 },
    );
    await probe.produce(TOPICS.victimReportFiled, [
      {
        key: CASE_F,
        value: JSON.stringify(
          report(CASE_F, victimF, [{ reference: { reportedBy: BANK_A, transferId: `f1-${run}` } }]),
        ),
      },
    ]);
    await expectEventually(
      () => expect(held(latest(crossBorder(CASE_F)), abroadF, 'fifo')).toEqual(thb('999500')),
      { timeoutMs: 90_000 },
    );
    expect(await redis.hget(redisKeys.proceedsState(mule6), CASE_F)).toContain('"g":');
    const before = { ...tracer.retraces };

    await probe.produce(TOPICS.bankTransferReceived, [
      {
        key: `shop-f-${run}`,
        value: JSON.stringify(bankTransfer('f0', [BANK_A, 'shop-f'], [BANK_B, 'mule-6'], '3000.00', 19)),
      },
    ]);

    await expectEventually(
      () => {
        const found = latest(crossBorder(CASE_F));
        expect({ abroad: held(found, abroadF, 'fifo'), mule: held(found, mule6, 'fifo') }).toEqual({
          abroad: thb('699500'),
          mule: thb('300500'),
        });
      },
      { timeoutMs: 90_000 },
    );
    expect(tracer.retraces.late).toBe(before.late + 1);
  });

  it('agrees with a trace of the graph on every case it carried (trace:reconcile), and names a tampered one', async () => {
    const config = loadProceedsTracerConfig({ ...process.env, ...env });
    const driver = createNeo4jDriver(neo4jConnectionOf(config));
    const key = redisKeys.proceedsCase(CASE_A);
    const original = await redis.hget(key, 'record');
    try {
      const clean = await reconcileStoredCases(redis, driver, config);
      // A, B, D, E (started from its payment found after the report) and F (traced again) all agree.
      expect(clean).toMatchObject({ cases: 5, agreeing: 5, disagreeing: 0, fifoDiffering: 0 });

      // The stored record loses its largest holder: the check names the case and that account.
      const stored = JSON.parse(original!) as { record: { holders: { accountKey: string }[] } };
      const dropped = stored.record.holders[0]!.accountKey;
      stored.record.holders = stored.record.holders.slice(1);
      await redis.hset(key, 'record', JSON.stringify(stored));
      const tampered = await reconcileStoredCases(redis, driver, config);

      expect(tampered).toMatchObject({ cases: 5, disagreeing: 1, fifoDiffering: 1 });
      expect(tampered.differences.map((d) => d.caseId)).toEqual([CASE_A]);
      expect(tampered.differences[0]?.holders.map((h) => [h.accountKey, h.carried.fifo])).toEqual([
        [dropped, '0'],
      ]);
    } finally {
      if (original !== null) await redis.hset(key, 'record', original);
      await driver.close();
    }
  });
});
