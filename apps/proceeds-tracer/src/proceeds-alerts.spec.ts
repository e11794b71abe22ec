import type { AlertDraft, TracedHolder } from '@scamflow/contracts';
import type { ProceedsSubgraph } from '@scamflow/graph';
import { traceProceeds } from '@scamflow/tracing';
import { analyseCase, watchedHolders, type CaseFindings } from './case-findings';
import { buildCrossBorderAlert, buildProximityAlerts } from './proceeds-alerts';
import { bank, subgraphOf, transfer, vaspAccount, wallet } from './proceeds-fixtures.testing';
import { toTraceInput } from './trace-input';

const USD = { currency: 'USD', scale: 2 };
const usdt = (amount: string, ref: string, more: object = {}) => ({
  currency: 'USDT',
  scale: 6,
  amountMinor: amount,
  refAmountMinor: ref,
  ...more,
});

// Rates: THB→USD 0.025, USDT→USD 1; amounts below in USD cents.
const victimA = bank('victim-a', 'BANKA');
const victimB = bank('victim-b', 'BANKA');
const clean = bank('shop', 'BANKA');
const mule1 = bank('mule-1', 'BANKB');
const mule2 = bank('mule-2', 'BANKC');
const customer = vaspAccount('U-1', 'THVASP', 'TH');
const hot = wallet('thvasp-hot', 'THVASP', 'TH');
const hop = wallet('hop');
const depositAddress = wallet('kh-dep', 'KHVASP', 'KH');
const foreign = vaspAccount('K-1', 'KHVASP', 'KH');
const accounts = [clean, mule1, mule2, customer, hot, hop, depositAddress, foreign];

const flow = [
  transfer('t1', victimA, mule1, 0, '12000000', { refAmountMinor: '300000' }), // A: 3,000.00
  transfer('t2', clean, mule1, 2, '5000000', { refAmountMinor: '125000' }), // clean: 1,250.00
  transfer('t3', victimB, mule1, 3, '3000000', { refAmountMinor: '75000' }), // B: 750.00
  transfer('t4', mule1, mule2, 4, '14400000', { refAmountMinor: '360000' }), // 3,600.00 of the 5,000.00
  transfer('t5', mule2, customer, 6, '14400000', { refAmountMinor: '360000', rail: 'vasp-ledger' }),
  transfer('t6', customer, hop, 10, '', usdt('3600000000', '360000', { rail: 'vasp-ledger', txHash: 'aa' })),
  transfer('t6-twin', hot, hop, 10, '', usdt('3600000000', '360000', { rail: 'onchain', txHash: 'aa' })),
  transfer('t7', hop, depositAddress, 15, '', usdt('3600000000', '360000', { rail: 'onchain' })),
  transfer('t8', depositAddress, foreign, 16, '', usdt('3600000000', '360000', { rail: 'vasp-ledger' })),
];

const findingsOf = (subgraph: ProceedsSubgraph): CaseFindings => {
  const input = toTraceInput(subgraph, USD);
  return analyseCase(subgraph, input, traceProceeds(input));
};
const caseA = () =>
  findingsOf(subgraphOf({ caseId: 'CASE-A', victims: [victimA], accounts, transfers: flow, seeds: ['t1'] }));
const caseB = () =>
  findingsOf(subgraphOf({ caseId: 'CASE-B', victims: [victimB], accounts, transfers: flow, seeds: ['t3'] }));

const held = (alert: AlertDraft | undefined, accountKey: string, rule: string): string | undefined =>
  alert?.tracing?.holders
    .find((h: TracedHolder) => h.account.accountKey === accountKey)
    ?.amounts.find((a) => a.rule === rule)?.amount.amountMinor;

describe(buildCrossBorderAlert.name, () => {
  it('follows the victim to the foreign VASP with FIFO and haircut amounts computed by hand', () => {
    const alert = buildCrossBorderAlert(caseA(), 8);
    // mule-1 pool before t4: A 3,000 (oldest), clean 1,250, B 750 = 5,000; t4 sends 3,600 on.
    // FIFO: all of A leaves (3,000) and reaches K-1. Haircut: 3,600 x 3,000/5,000 = 2,160 leaves, 840 stays.
    expect(held(alert, foreign.accountKey, 'fifo')).toBe('300000');
    expect(held(alert, foreign.accountKey, 'haircut')).toBe('216000');
    expect(held(alert, mule1.accountKey, 'fifo')).toBe('0');
    expect(held(alert, mule1.accountKey, 'haircut')).toBe('84000');
    expect(alert?.tracing?.holders.find((h) => h.account.accountKey === foreign.accountKey)).toMatchObject({
      crossBorderReasons: ['foreign-jurisdiction:KH', 'vasp-customer-account:KHVASP'],
      account: { role: 'off-ramp' },
    });
    expect(alert).toMatchObject({
      typology: 'proceeds.cross-border',
      issueKey: 'CASE-A',
      subject: { accountKey: victimA.accountKey, role: 'victim' },
      jurisdictions: ['KH', 'TH'],
      institutions: ['BANKA', 'BANKB', 'BANKC', 'KHVASP', 'THVASP'],
    });
    expect(alert?.tracing?.victims[0]?.seeded).toEqual({ amountMinor: '300000', currency: 'USD', scale: 2 });
  });

  it('counts the withdrawal once: the on-chain twin from the hot wallet is not in the path', () => {
    const alert = buildCrossBorderAlert(caseA(), 8);
    const ids = alert?.evidence.edges.map((e) => e.transferId);
    expect(ids).toEqual(['t1', 't4', 't5', 't6', 't7', 't8']);
    expect(alert?.involved.map((a) => a.accountKey)).not.toContain(hot.accountKey);
  });

  it('infers each account’s role from how the traced money moved', () => {
    const roles = Object.fromEntries(
      buildCrossBorderAlert(caseA(), 8)?.involved.map((a) => [a.accountId, a.role]) ?? [],
    );
    expect(roles).toEqual({
      'victim-a': 'victim',
      'mule-1': 'mule',
      'mule-2': 'mule',
      'U-1': 'off-ramp',
      hop: 'hop-wallet',
      'kh-dep': 'off-ramp',
      'K-1': 'off-ramp',
    });
  });

  it('recommends a freeze per holding institution under a named rule, an international request and an STR', () => {
    const actions = buildCrossBorderAlert(caseA(), 8)?.recommendedActions ?? [];
    expect(
      actions.map((a) => [
        a.kind,
        a.institutionId ?? a.country ?? '',
        a.rule ?? '',
        a.amount?.amountMinor ?? '',
      ]),
    ).toEqual([
      ['freeze-request', 'BANKB', 'haircut', '84000'],
      ['freeze-request', 'KHVASP', 'fifo', '300000'],
      ['international-request', 'KH', '', ''],
      ['str-report', '', '', ''],
    ]);
  });

  it('scores on the share that crossed and says how fast it crossed', () => {
    const alert = buildCrossBorderAlert(caseA(), 8);
    const fact = (name: string) => alert?.facts.find((f) => f.name === name)?.value;
    expect(fact('shareCrossedFifo')).toBe('1.000');
    expect(fact('shareCrossedHaircut')).toBe('0.720');
    expect(fact('hopsToBorder')).toBe('3');
    expect(fact('minutesFromPaymentToBorder')).toBe('6.0');
    expect(alert?.severity).toBe('critical');
  });

  it('counts money crossing once when it passes a domestic-looking hop wallet after the off-ramp', () => {
    // customer (TH VASP, an off-ramp) → hop (unhosted, pays no VASP) → hop-2 (unhosted, pays the KH VASP).
    const hop2 = wallet('hop-2');
    const longer = [
      ...flow.filter((t) => t.transferId !== 't7' && t.transferId !== 't8'),
      transfer('t7a', hop, hop2, 12, '', usdt('3600000000', '360000', { rail: 'onchain' })),
      transfer('t7b', hop2, depositAddress, 15, '', usdt('3600000000', '360000', { rail: 'onchain' })),
      flow.find((t) => t.transferId === 't8')!,
    ];
    const findings = findingsOf(
      subgraphOf({
        caseId: 'CASE-A',
        victims: [victimA],
        accounts: [...accounts, hop2],
        transfers: longer,
        seeds: ['t1'],
      }),
    );
    const alert = buildCrossBorderAlert(findings, 8);
    // A's 3,000 crossed once (into the TH VASP customer account), not again at hop-2.
    expect(alert?.facts.find((f) => f.name === 'shareCrossedFifo')?.value).toBe('1.000');
    expect(alert?.summary).toContain('3000.00 USD (FIFO)');
    expect(alert?.summary).not.toContain('6000.00');
  });

  it('gives a second victim mixing in the same mule only its own share: never counted twice', () => {
    const a = buildCrossBorderAlert(caseA(), 8);
    const b = buildCrossBorderAlert(caseB(), 8);
    // B's 750 is the newest lot at mule-1: FIFO keeps it there; haircut sends 3,600 x 750/5,000 = 540 on.
    expect(held(b, foreign.accountKey, 'fifo')).toBe('0');
    expect(held(b, foreign.accountKey, 'haircut')).toBe('54000');
    expect(held(b, mule1.accountKey, 'fifo')).toBe('75000');
    expect(held(b, mule1.accountKey, 'haircut')).toBe('21000');
    // K-1 holds 3,600: A 2,160 + B 540 + clean 900 under haircut, A 3,000 + clean 600 under FIFO.
    expect(
      BigInt(held(a, foreign.accountKey, 'haircut') ?? '0') +
        BigInt(held(b, foreign.accountKey, 'haircut') ?? '0'),
    ).toBe(270000n);
    expect(
      b?.tracing?.holders.flatMap((h) => h.amounts.filter((x) => x.caseId).map((x) => x.caseId)),
    ).not.toContain('CASE-A');
    expect(b?.recommendedActions.find((x) => x.institutionId === 'KHVASP')).toMatchObject({
      rule: 'haircut',
    });
  });

  it('raises nothing when the victim’s money stays in domestic bank accounts', () => {
    const m3 = bank('mule-3', 'BANKB');
    const m4 = bank('mule-4', 'BANKC');
    const findings = findingsOf(
      subgraphOf({
        caseId: 'CASE-D',
        victims: [victimA],
        accounts: [m3, m4],
        transfers: [transfer('d1', victimA, m3, 0, '1000000'), transfer('d2', m3, m4, 5, '900000')],
        seeds: ['d1'],
      }),
    );
    expect(findings.crossBorder.size).toBe(0);
    expect(buildCrossBorderAlert(findings, 8)).toBeUndefined();
  });

  it('flags an unhosted wallet that pays a foreign VASP', () => {
    const findings = caseA();
    expect(findings.crossBorder.get(hop.accountKey)).toEqual(['unhosted-to-foreign-vasp:KHVASP']);
    expect(findings.crossBorder.get(customer.accountKey)).toEqual(['vasp-customer-account:THVASP']);
    expect(findings.crossBorder.has(mule2.accountKey)).toBe(false);
  });
});

describe(buildProximityAlerts.name, () => {
  it('alerts on accounts within k hops with each case’s traced amount, not on the victim or hops beyond k', () => {
    const drafts = buildProximityAlerts([caseA(), caseB()], 3);
    expect(drafts.map((d) => d.subject.accountId).sort()).toEqual(['U-1', 'mule-1', 'mule-2']);
    const first = drafts.find((d) => d.subject.accountId === 'mule-1');
    expect(first?.facts.map((f) => [f.name, f.value])).toEqual([
      ['hopsFromVictim', '1'],
      ['receivedFromCase:CASE-A', '3000.00 / 3000.00'],
      ['receivedFromCase:CASE-B', '750.00 / 750.00'],
    ]);
    expect(first?.severity).toBe('critical');
    const second = drafts.find((d) => d.subject.accountId === 'mule-2');
    expect(second?.severity).toBe('high');
    // One path per case, each transfer once.
    expect(second?.evidence.edges.map((e) => e.transferId)).toEqual(['t1', 't4', 't3']);
  });

  it('builds, for the cases that changed, only the alerts they are in, each as it is with every case', () => {
    const m3 = bank('mule-3', 'BANKB');
    const caseD = findingsOf(
      subgraphOf({
        caseId: 'CASE-D',
        victims: [victimA],
        accounts: [m3],
        transfers: [transfer('d1', victimA, m3, 0, '1000000')],
        seeds: ['d1'],
      }),
    );
    const cases = [caseA(), caseB(), caseD];
    const all = buildProximityAlerts(cases, 3);
    const listing = (caseId: string) =>
      all.filter((d) => d.facts.some((f) => f.name === `receivedFromCase:${caseId}`));
    expect(listing('CASE-D').map((d) => d.subject.accountId)).toEqual(['mule-3']);

    expect(buildProximityAlerts(cases, 3, 0, new Set(['CASE-D']))).toEqual(listing('CASE-D'));
    expect(buildProximityAlerts(cases, 3, 0, new Set(['CASE-B']))).toEqual(listing('CASE-B'));
    expect(buildProximityAlerts(cases, 3, 0, new Set(['CASE-A', 'CASE-D']))).toEqual(all);
    expect(buildProximityAlerts(cases, 3, 0, new Set())).toEqual([]);
  });

  it('leaves out a terminal hub where tracing stopped', () => {
    const hub = bank('exchange-hub', 'BANKH');
    const findings = findingsOf(
      subgraphOf({
        caseId: 'CASE-H',
        victims: [victimA],
        accounts: [hub],
        transfers: [transfer('h1', victimA, hub, 0, '1000000')],
        seeds: ['h1'],
        terminalHubs: [hub.accountKey],
      }),
    );
    expect(buildProximityAlerts([findings], 3)).toEqual([]);
  });
});

describe('proximity alerts and ordinary payees', () => {
  it('does not alert the shop a mule pays a few baht of mixed money to', () => {
    const shop = bank('lunch-shop');
    const collector = bank('collector');
    const landlord = bank('landlord');
    const findings = findingsOf(
      subgraphOf({
        caseId: 'CASE-1',
        victims: [victimA],
        accounts: [mule1, shop, collector, landlord],
        transfers: [
          transfer('t0', landlord, mule1, 0, '99000000'), // the mule's own 990,000.00 THB, clean
          transfer('t1', victimA, mule1, 1, '1000000'), // the victim's 10,000.00 THB
          transfer('t2', mule1, collector, 2, '99000000'), // haircut: 9,900 of the case (99 %)
          transfer('t3', mule1, shop, 3, '500'), // FIFO: 5.00 of the case (0.05 %)
        ],
        seeds: ['t1'],
      }),
    );
    const subjects = (minShare: number) =>
      buildProximityAlerts([findings], 3, minShare).map((d) => d.subject.accountKey);
    expect(subjects(0.01)).not.toContain(shop.accountKey);
    expect(subjects(0.01)).toEqual(expect.arrayContaining([mule1.accountKey, collector.accountKey]));
    // Without the floor the shop would be called a mule for 5.00 THB.
    expect(subjects(0)).toContain(shop.accountKey);
  });
});

describe(watchedHolders.name, () => {
  it('watches holders of a material share of the case, not cent-sized haircut residues', () => {
    const findings = caseA();
    // A's 3,000.00: K-1 holds 3,000 (FIFO) and mule-1 840 (haircut); both are at least 1 %.
    expect(watchedHolders(findings, 0.01).sort()).toEqual([foreign.accountKey, mule1.accountKey].sort());
    // At a 50 % floor only the foreign customer account holding all of it under FIFO is watched.
    expect(watchedHolders(findings, 0.5)).toEqual([foreign.accountKey]);
  });
});
