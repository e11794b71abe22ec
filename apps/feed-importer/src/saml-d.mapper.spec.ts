import { BankTransferReceivedSchema } from '@scamflow/contracts';
import type { RowOutcome } from './row-outcome';
import {
  SAML_D_HEADER,
  checkSamlDHeader,
  mapSamlDRow,
  samlDTimestampToIso,
  type SamlDMappingOptions,
} from './saml-d.mapper';

// Rows copied from ../shared/data/saml-d-sample-1k/SAML-D_sample_1k.csv.
const HEADER =
  'Time,Date,Sender_account,Receiver_account,Amount,Payment_currency,Received_currency,Sender_bank_location,Receiver_bank_location,Payment_type,Is_laundering,Laundering_type';
const ROWS = {
  crossBorder:
    '11:38:54,2022-12-09,1782263940,3455276355,8822.67,Euro,UK pounds,Italy,UK,Cross-border,0,Normal_Fan_Out',
  laundering:
    '13:04:30,2023-07-21,7056266274,3625310304,3801.13,UK pounds,UK pounds,UK,UK,Cheque,1,Scatter-Gather',
  oneDecimal:
    '07:17:06,2023-07-11,2488893433,57359957,1682.8,UK pounds,UK pounds,UK,UK,Cash Deposit,1,Smurfing',
} as const;

const options: SamlDMappingOptions = { sourceTag: 'SAML-D_sample_1k', rounding: 'half-even' };
const map = (row: string, rowNumber = 1, opts = options): RowOutcome =>
  mapSamlDRow(row.split(','), rowNumber, opts);
const eventOf = (outcome: RowOutcome) => {
  if (outcome.kind !== 'event') throw new Error(`expected an event, got ${outcome.kind}: ${outcome.detail}`);
  return outcome;
};

describe(checkSamlDHeader.name, () => {
  it('accepts the dataset header', () => {
    expect(checkSamlDHeader(HEADER.split(',')).ok).toBe(true);
    expect(HEADER.split(',')).toEqual([...SAML_D_HEADER]);
  });

  it('refuses another file, naming the header it expected', () => {
    expect(checkSamlDHeader('sourceNodeId,targetNodeId,value,time'.split(','))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Time,Date,Sender_account') as unknown,
    });
  });
});

describe(mapSamlDRow.name, () => {
  it('maps a cross-border row: each party at its location’s bank, the sender’s bank reporting, GBP in pence', () => {
    const { event, label } = eventOf(map(ROWS.crossBorder, 7));
    expect(BankTransferReceivedSchema.parse(event)).toEqual(event);
    expect(event).toEqual({
      schemaVersion: 1,
      reportedBy: 'SAMLD-IT',
      transferId: 'saml-d:SAML-D_sample_1k:7',
      bookedAt: '2022-12-09T11:38:54Z',
      amount: { value: '8822.67', currency: 'GBP' },
      debtor: { accountId: '1782263940', bankId: 'SAMLD-IT', country: 'IT' },
      creditor: { accountId: '3455276355', bankId: 'SAMLD-GB', country: 'GB' },
    });
    expect(label).toEqual({
      reportedBy: 'SAMLD-IT',
      transferId: 'saml-d:SAML-D_sample_1k:7',
      isLaundering: false,
      launderingType: 'Normal_Fan_Out',
    });
  });

  it('keeps the laundering label and the dataset’s own typology name beside the feed, never in it', () => {
    const outcome = eventOf(map(ROWS.laundering, 2));
    expect(outcome.label).toMatchObject({ isLaundering: true, launderingType: 'Scatter-Gather' });
    expect(JSON.stringify(outcome.event)).not.toContain('Scatter');
  });

  it('writes amounts with the pence the currency has ("1682.8" is 1682.80), never through a float', () => {
    expect(eventOf(map(ROWS.oneDecimal)).event.amount).toEqual({ value: '1682.80', currency: 'GBP' });
    const precise = ROWS.oneDecimal.replace('1682.8', '1682.805');
    expect(eventOf(map(precise))).toMatchObject({
      event: { amount: { value: '1682.80' } },
      roundedCurrency: 'GBP',
    });
    expect(map(precise, 1, { ...options, rounding: 'reject' })).toMatchObject({
      kind: 'rejected',
      code: 'amount-precision',
    });
  });

  it.each([
    [
      'an unknown bank location',
      ROWS.crossBorder.replace('Italy', 'Atlantis'),
      'unknown-location',
      'Atlantis',
    ],
    [
      'a date that does not exist',
      ROWS.laundering.replace('2023-07-21', '2023-02-30'),
      'timestamp',
      '2023-02-30',
    ],
    ['a zero amount', ROWS.laundering.replace('3801.13', '0.001'), 'amount-zero', '0.001'],
    ['an amount that is not a number', ROWS.laundering.replace('3801.13', '3,801'), 'column-count', '13'],
    ['a label that is not 0 or 1', ROWS.laundering.replace(',1,Scatter', ',yes,Scatter'), 'label', 'yes'],
  ])('rejects %s with a reason', (_name, row, code, detail) => {
    expect(map(row)).toMatchObject({
      kind: 'rejected',
      code,
      detail: expect.stringContaining(detail) as unknown,
    });
  });
});

describe(samlDTimestampToIso.name, () => {
  it('reads the date and time as UTC and refuses what is not a real instant', () => {
    expect(samlDTimestampToIso('2023-07-21', '13:04:30')).toBe('2023-07-21T13:04:30Z');
    expect(samlDTimestampToIso('2023-07-21', '24:00:00')).toBeUndefined();
    expect(samlDTimestampToIso('21/07/2023', '13:04:30')).toBeUndefined();
  });
});
