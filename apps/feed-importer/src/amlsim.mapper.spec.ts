import { BankTransferReceivedSchema } from '@scamflow/contracts';
import {
  indexAmlsimNodeColumns,
  indexAmlsimTransactionColumns,
  mapAmlsimNode,
  mapAmlsimTransaction,
  type AmlsimMappingOptions,
  type AmlsimTransactionColumns,
} from './amlsim.mapper';

// Rows copied from ../shared/data/amlsim-20k-fanin200/{transactions,nodes}.csv.
const TX_HEADER = 'sourceNodeId,targetNodeId,value,time'.split(',');
const NODE_HEADER = 'nodeid,isFraud,init_balance,fraudStep'.split(',');

const options: AmlsimMappingOptions = {
  sourceTag: 'amlsim-20k-fanin200',
  bankId: 'AMLSIM',
  currency: 'USD',
  country: 'US',
  startDate: new Date('2024-01-01T00:00:00Z'),
  rounding: 'half-even',
};

const txColumns = (): AmlsimTransactionColumns => {
  const columns = indexAmlsimTransactionColumns(TX_HEADER);
  if (!columns.ok) throw new Error(columns.reason);
  return columns.value;
};

describe(mapAmlsimTransaction.name, () => {
  it('maps a row to a valid transfer at the configured bank, step 1 = one day after the start date', () => {
    const outcome = mapAmlsimTransaction('360,18984,103.55,1'.split(','), 1, txColumns(), options);

    expect(outcome).toEqual({
      kind: 'event',
      event: {
        schemaVersion: 1,
        reportedBy: 'AMLSIM',
        transferId: 'amlsim:amlsim-20k-fanin200:1',
        bookedAt: '2024-01-02T00:00:00.000Z',
        amount: { value: '103.55', currency: 'USD' },
        debtor: { accountId: '360', bankId: 'AMLSIM', country: 'US' },
        creditor: { accountId: '18984', bankId: 'AMLSIM', country: 'US' },
      },
    });
    expect(outcome.kind === 'event' && BankTransferReceivedSchema.safeParse(outcome.event).success).toBe(
      true,
    );
  });

  it('uses the configured currency exponent for the amount', () => {
    const outcome = mapAmlsimTransaction('269,9237,178.9,1'.split(','), 2, txColumns(), {
      ...options,
      currency: 'JPY',
    });
    expect(outcome).toMatchObject({
      kind: 'event',
      event: { amount: { value: '179', currency: 'JPY' } },
      roundedCurrency: 'JPY',
    });
  });

  it('finds columns by name, whatever their order', () => {
    const columns = indexAmlsimTransactionColumns(['time', 'value', 'targetNodeId', 'sourceNodeId']);
    expect(
      columns.ok && mapAmlsimTransaction(['1', '103.55', '18984', '360'], 1, columns.value, options),
    ).toMatchObject({
      event: { debtor: { accountId: '360' }, creditor: { accountId: '18984' } },
    });
  });

  it('refuses a file without the AMLSim columns', () => {
    expect(indexAmlsimTransactionColumns(['Timestamp', 'From Bank'])).toMatchObject({ ok: false });
  });

  it.each([
    ['a non-numeric step', '360,18984,103.55,x', 'time'],
    ['a non-decimal amount', '360,18984,abc,1', 'amount'],
    ['a zero amount', '360,18984,0.00,1', 'amount-zero'],
  ])('rejects %s', (_name, row, code) => {
    expect(mapAmlsimTransaction(row.split(','), 1, txColumns(), options)).toMatchObject({
      kind: 'rejected',
      code,
    });
  });
});

describe(mapAmlsimNode.name, () => {
  const columns = indexAmlsimNodeColumns(NODE_HEADER);
  if (!columns.ok) throw new Error(columns.reason);

  it('reads per-account fraud labels; fraudStep -1 means never', () => {
    expect(mapAmlsimNode('18,1,181.02,110'.split(','), columns.value, 'AMLSIM')).toEqual({
      ok: true,
      value: { bankId: 'AMLSIM', accountId: '18', isFraud: true, fraudStep: 110 },
    });
    expect(mapAmlsimNode('0,0,184.44,-1'.split(','), columns.value, 'AMLSIM')).toMatchObject({
      value: { isFraud: false, fraudStep: null },
    });
  });

  it('refuses a label that is neither 0 nor 1', () => {
    expect(mapAmlsimNode('0,2,184.44,-1'.split(','), columns.value, 'AMLSIM')).toMatchObject({ ok: false });
  });
});
