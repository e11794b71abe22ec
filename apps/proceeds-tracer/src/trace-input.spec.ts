import { bank, subgraphOf, transfer, vaspAccount, wallet } from './proceeds-fixtures.testing';
import { chooseUnit, followMaterialShare, removeLedgerTwins, toTraceInput } from './trace-input';

const USD = { currency: 'USD', scale: 2 };
const victim = bank('victim');
const mule = bank('mule');
const customer = vaspAccount('U-1', 'THVASP', 'TH');
const hot = wallet('hot', 'THVASP', 'TH');
const hop = wallet('hop');

describe(toTraceInput.name, () => {
  it('counts a ledger withdrawal and its on-chain twin once, keeping the customer account as sender', () => {
    const withdrawal = transfer('vasp:THVASP:WD-1', customer, hop, 10, '100000000', {
      rail: 'vasp-ledger',
      currency: 'USDT',
      scale: 6,
      txHash: 'ab12',
    });
    const twin = transfer('onchain:tron:ab12:0', hot, hop, 10, '99900000', {
      rail: 'onchain',
      currency: 'USDT',
      scale: 6,
      txHash: 'ab12',
    });
    const { kept, dropped } = removeLedgerTwins([withdrawal, twin]);
    expect(kept.map((t) => t.transferId)).toEqual(['vasp:THVASP:WD-1']);
    expect(dropped.map((t) => t.transferId)).toEqual(['onchain:tron:ab12:0']);
  });

  it('keeps an on-chain deposit and the ledger credit that follows it: two hops, not twins', () => {
    const depositAddress = wallet('dep', 'KHVASP', 'KH');
    const foreign = vaspAccount('K-1', 'KHVASP', 'KH');
    const onchain = transfer('onchain:tron:cd34:0', hop, depositAddress, 20, '5', {
      rail: 'onchain',
      txHash: 'cd34',
    });
    const credit = transfer('vasp:KHVASP:DEP-1', depositAddress, foreign, 21, '5', {
      rail: 'vasp-ledger',
      txHash: 'cd34',
    });
    expect(removeLedgerTwins([onchain, credit]).kept).toHaveLength(2);
  });

  it("traces in the transfers' own asset when they all share it, reported balances included", () => {
    const input = toTraceInput(
      subgraphOf({
        caseId: 'C1',
        victims: [victim],
        accounts: [mule],
        transfers: [
          transfer('t1', victim, mule, 0, '1000000'),
          transfer('t2', mule, bank('next'), 5, '400000', { debtorBalanceAfterMinor: '600000' }),
        ],
        seeds: ['t1'],
      }),
      USD,
    );
    expect(input.unit).toEqual({ currency: 'THB', scale: 2, basis: 'asset' });
    expect(input.edges.map((e) => [e.transferId, e.amount, e.debtorBalanceAfter])).toEqual([
      ['t1', 1000000n, undefined],
      ['t2', 400000n, 600000n],
    ]);
    expect(input.seeds).toEqual([{ sourceId: 'C1', transferId: 't1' }]);
  });

  it('traces mixed assets in the reference currency and lists transfers without a rate as untraceable', () => {
    const input = toTraceInput(
      subgraphOf({
        caseId: 'C1',
        victims: [victim],
        accounts: [mule, customer, hop],
        transfers: [
          transfer('t1', victim, mule, 0, '12000000', { refAmountMinor: '300000' }),
          // THB 100,000.00 at 0.025 = USD 2,500.00; the balance converts at the same rate.
          transfer('t2', mule, customer, 5, '10000000', {
            refAmountMinor: '250000',
            debtorBalanceAfterMinor: '2000000',
          }),
          transfer('t3', customer, hop, 9, '2500000000', { currency: 'USDT', scale: 6 }),
        ],
        seeds: ['t1'],
      }),
      USD,
    );
    expect(chooseUnit([...input.transfers.values()], USD)).toEqual({ ...USD, basis: 'reference' });
    expect(input.unit.basis).toBe('reference');
    expect(input.edges.map((e) => [e.transferId, e.amount, e.debtorBalanceAfter])).toEqual([
      ['t1', 300000n, undefined],
      ['t2', 250000n, 50000n],
    ]);
    expect(input.untraceable.map((u) => u.transferId)).toEqual(['t3']);
    expect(input.untraceable[0]?.reason).toContain('no USD reference amount (no USDT→USD rate');
  });

  it('lists a reported payment the graph does not hold yet as untraceable', () => {
    const subgraph = subgraphOf({ caseId: 'C1', victims: [victim], accounts: [], transfers: [], seeds: [] });
    const input = toTraceInput(
      {
        ...subgraph,
        case: { ...subgraph.case, reportedTransfers: [{ transferId: 'bank:B:missing' }] },
        unmatchedPayments: [0],
      },
      USD,
    );
    expect(input.seeds).toEqual([]);
    expect(input.untraceable).toEqual([
      { transferId: 'bank:B:missing', reason: 'reported payment not found in the graph (yet)' },
    ]);
  });
});

describe(followMaterialShare.name, () => {
  it('follows accounts that received a material share of the case, not ordinary payees of a tiny residue', () => {
    const shop = bank('shop');
    const collector = bank('collector');
    const landlord = bank('landlord');
    const partial = subgraphOf({
      caseId: 'CASE-1',
      victims: [victim],
      accounts: [mule, shop, collector, landlord],
      transfers: [
        transfer('t0', landlord, mule, 0, '99000000'), // the mule's own 990,000.00 THB, clean
        transfer('t1', victim, mule, 1, '1000000'), // the victim's 10,000.00 THB: 1 % of the pool
        transfer('t2', mule, collector, 2, '99000000'), // FIFO: the clean 990,000 (haircut: 9,900 of the case)
        transfer('t3', mule, shop, 3, '500'), // FIFO: 5.00 of the victim's money; haircut: 0.05
      ],
      seeds: ['t1'],
    });
    const follow = followMaterialShare(USD, 0.001);
    // collector: haircut 9,900 of 10,000 (99 %); shop: FIFO 5.00 (0.05 %, below 0.1 %).
    expect([...follow(partial, [collector.accountKey, shop.accountKey])]).toEqual([collector.accountKey]);
    // With no floor every account that received any of it is followed.
    expect([...followMaterialShare(USD, 0)(partial, [collector.accountKey, shop.accountKey])].sort()).toEqual(
      [collector.accountKey, shop.accountKey].sort(),
    );
  });
});
