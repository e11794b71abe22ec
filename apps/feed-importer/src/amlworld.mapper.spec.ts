import { BankTransferReceivedSchema } from '@scamflow/contracts';
import { AMLWORLD_CURRENCIES } from './amlworld-currencies';
import {
  amlworldTimestampToIso,
  checkAmlworldHeader,
  mapAmlworldRow,
  type AmlworldMappingOptions,
} from './amlworld.mapper';
import type { RowOutcome } from './row-outcome';
import { currencyScale } from '@scamflow/money';

// Rows copied from ../shared/data/amlworld-hi-small-sample/HI-Small_Trans_sample.csv.
const SAMPLE_HEADER =
  'Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const ORIGINAL_HEADER =
  'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const ROWS = {
  reinvestment:
    '2022/09/01 00:20,10,8000EBD30,10,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0',
  cheque: '2022/09/01 00:20,3208,8000F4580,1,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0',
  laundering: '2022/09/01 00:21,70,100428660,1124,800825340,389769.39,US Dollar,389769.39,US Dollar,Cheque,1',
  crossCurrency: '2022/09/01 00:22,1362,80030A870,1362,80030A870,52.11,Euro,61.06,US Dollar,ACH,0',
  yen: '2022/09/12 03:44,7548,8040AE4F0,210690,8041293F0,1949818.73,Yen,1949818.73,Yen,ACH,1',
  riyal: '2022/09/01 00:04,119,811C597B0,48309,811C599A0,34254.65,Saudi Riyal,34254.65,Saudi Riyal,ACH,1',
  bitcoin: '2022/09/01 00:16,220,8001C8C51,1420,8003093C1,0.025852,Bitcoin,0.025852,Bitcoin,Bitcoin,0',
  // The original HI-Small file zero-pads bank ids; its copies do not.
  zeroPadded:
    '2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0',
} as const;

const options: AmlworldMappingOptions = {
  sourceTag: 'HI-Small_Trans_sample',
  country: 'US',
  rounding: 'half-even',
};
const fieldsOf = (row: string): string[] => row.split(',');
const map = (row: string, rowNumber = 1, opts = options): RowOutcome =>
  mapAmlworldRow(fieldsOf(row), rowNumber, opts);
const eventOf = (outcome: RowOutcome) => {
  if (outcome.kind !== 'event') throw new Error(`expected an event, got ${outcome.kind}: ${outcome.detail}`);
  return outcome;
};

describe(checkAmlworldHeader.name, () => {
  it.each([
    ['the sample copy (second account column "Account.1")', SAMPLE_HEADER],
    ['the original file (both account columns "Account")', ORIGINAL_HEADER],
  ])('accepts %s', (_name, header) => {
    expect(checkAmlworldHeader(header.split(',')).ok).toBe(true);
  });

  it('refuses another file, naming the header it expected', () => {
    const result = checkAmlworldHeader('sourceNodeId,targetNodeId,value,time'.split(','));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Timestamp,From Bank') as unknown,
    });
  });
});

describe(mapAmlworldRow.name, () => {
  it('maps a row to a valid bank transfer keyed by (bank, account), reported by the debtor bank', () => {
    const { event, roundedCurrency, label } = eventOf(map(ROWS.cheque, 2));

    expect(event).toEqual({
      schemaVersion: 1,
      reportedBy: '3208',
      transferId: 'amlworld:HI-Small_Trans_sample:2',
      bookedAt: '2022-09-01T00:20:00Z',
      amount: { value: '0.01', currency: 'USD' },
      debtor: { accountId: '8000F4580', bankId: '3208', country: 'US' },
      creditor: { accountId: '8000F5340', bankId: '1', country: 'US' },
    });
    expect(BankTransferReceivedSchema.safeParse(event).success).toBe(true);
    expect(roundedCurrency).toBeUndefined();
    expect(label).toEqual({
      reportedBy: '3208',
      transferId: 'amlworld:HI-Small_Trans_sample:2',
      isLaundering: false,
    });
  });

  it('derives the transfer id from file and row only, so a re-import gives the same ids', () => {
    expect(eventOf(map(ROWS.reinvestment, 7)).event.transferId).toBe(
      eventOf(map(ROWS.reinvestment, 7)).event.transferId,
    );
    expect(eventOf(map(ROWS.reinvestment, 7)).event.transferId).not.toBe(
      eventOf(map(ROWS.reinvestment, 8)).event.transferId,
    );
  });

  it('keeps the label out of the event and hands it over separately', () => {
    const outcome = eventOf(map(ROWS.laundering));
    expect(JSON.stringify(outcome.event)).not.toMatch(/launder/i);
    expect(outcome.label).toMatchObject({ isLaundering: true });
  });

  it('gives the same bank ids for the zero-padded original and the unpadded copy', () => {
    expect(eventOf(map(ROWS.zeroPadded)).event).toEqual(eventOf(map(ROWS.reinvestment)).event);
  });

  it('takes Amount Paid in Payment Currency as the transfer amount', () => {
    expect(eventOf(map(ROWS.crossCurrency)).event.amount).toEqual({ value: '61.06', currency: 'USD' });
    expect(eventOf(map(ROWS.riyal)).event.amount).toEqual({ value: '34254.65', currency: 'SAR' });
  });

  it('rounds half-even to the ISO exponent and says so (JPY has no minor unit)', () => {
    const outcome = eventOf(map(ROWS.yen));
    expect(outcome.event.amount).toEqual({ value: '1949819', currency: 'JPY' });
    expect(outcome.roundedCurrency).toBe('JPY');
  });

  it('refuses to round when told to', () => {
    expect(map(ROWS.yen, 1, { ...options, rounding: 'reject' })).toMatchObject({
      kind: 'rejected',
      code: 'amount-precision',
    });
  });

  it('skips Bitcoin rows as virtual assets rather than rejecting them', () => {
    expect(map(ROWS.bitcoin)).toMatchObject({ kind: 'skipped', code: 'virtual-asset' });
  });

  it.each([
    ['an unknown currency name', ROWS.cheque.replaceAll('US Dollar', 'Zloty'), 'unknown-currency'],
    ['a missing column', ROWS.cheque.replace(',Cheque', ''), 'column-count'],
    ['an impossible date', ROWS.cheque.replace('2022/09/01', '2022/02/30'), 'timestamp'],
    [
      'an amount that is not a decimal',
      ROWS.cheque.replace(',0.01,US Dollar,Cheque', ',1e3,US Dollar,Cheque'),
      'amount',
    ],
    ['an amount of zero minor units', ROWS.yen.replaceAll('1949818.73', '0.40'), 'amount-zero'],
    ['a label that is neither 0 nor 1', ROWS.cheque.replace(/,0$/, ',yes'), 'label'],
  ])('rejects a row with %s, with a reason', (_name, row, code) => {
    expect(map(row)).toMatchObject({ kind: 'rejected', code, detail: expect.any(String) as unknown });
  });
});

describe('AMLworld currency names', () => {
  it('map to ISO 4217 codes that have a known exponent', () => {
    for (const code of Object.values(AMLWORLD_CURRENCIES))
      expect(currencyScale(code)).toEqual(expect.any(Number));
  });
});

describe(amlworldTimestampToIso.name, () => {
  it('reads the dataset time as UTC', () => {
    expect(amlworldTimestampToIso('2022/09/01 00:20')).toBe('2022-09-01T00:20:00Z');
  });
});
