import type { BankTransferReceived, ParseResult } from '@scamflow/contracts';
import { currencyScale, roundToScale } from '@scamflow/money';
import type { RoundingMode } from './decimal-amount';
import { rejected, type ColumnIndex, type LabelRecord, type RowOutcome } from './row-outcome';

/** IBM AMLSim output: transactions.csv and nodes.csv of one simulation (single bank, single currency). */
export const AMLSIM_TRANSACTION_COLUMNS = ['sourceNodeId', 'targetNodeId', 'value', 'time'] as const;
export const AMLSIM_NODE_COLUMNS = ['nodeid', 'isFraud', 'fraudStep'] as const;

export type AmlsimTransactionColumns = ColumnIndex<(typeof AMLSIM_TRANSACTION_COLUMNS)[number]>;
export type AmlsimNodeColumns = ColumnIndex<(typeof AMLSIM_NODE_COLUMNS)[number]>;

/** Finds the named columns in a header, in any order and beside other columns. */
const indexColumns = <K extends string>(
  header: readonly string[],
  required: readonly K[],
  file: string,
): ParseResult<ColumnIndex<K>> => {
  const names = header.map((name) => name.trim());
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    return { ok: false, reason: `${file} header lacks ${missing.map((m) => `"${m}"`).join(', ')}` };
  }
  return {
    ok: true,
    value: Object.fromEntries(required.map((name) => [name, names.indexOf(name)])) as ColumnIndex<K>,
  };
};

export const indexAmlsimTransactionColumns = (header: readonly string[]) =>
  indexColumns(header, AMLSIM_TRANSACTION_COLUMNS, 'transactions.csv');
export const indexAmlsimNodeColumns = (header: readonly string[]) =>
  indexColumns(header, AMLSIM_NODE_COLUMNS, 'nodes.csv');

export interface AmlsimMappingOptions {
  /** Names the simulation in transfer ids, so a re-import of the same output yields the same ids. */
  readonly sourceTag: string;
  /** The one bank every simulated account is held at; also the reporting bank. */
  readonly bankId: string;
  readonly currency: string;
  readonly country: string;
  /** Step 0 starts at this instant; one step is one day. */
  readonly startDate: Date;
  readonly rounding: RoundingMode;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Steps far beyond any simulation length mean a misread column, not a date. */
const MAX_STEP = 100_000;

export const amlsimTransferId = (sourceTag: string, rowNumber: number): string =>
  `amlsim:${sourceTag}:${rowNumber}`;

/** Maps one transactions.csv data row (1-based `rowNumber`, header excluded) to a bank transfer. */
export const mapAmlsimTransaction = (
  fields: readonly string[],
  rowNumber: number,
  columns: AmlsimTransactionColumns,
  options: AmlsimMappingOptions,
): RowOutcome => {
  const source = fields[columns.sourceNodeId]?.trim() ?? '';
  const target = fields[columns.targetNodeId]?.trim() ?? '';
  const value = fields[columns.value]?.trim() ?? '';
  const step = fields[columns.time]?.trim() ?? '';

  if (!/^\d+$/.test(step) || Number(step) > MAX_STEP) {
    return rejected('time', `time "${step}" is not a step number`);
  }
  const scale = currencyScale(options.currency);
  if (scale === undefined)
    return rejected('unknown-currency', `currency "${options.currency}" is not ISO 4217`);
  const amount = roundToScale(value, scale);
  if (amount === undefined) return rejected('amount', `value "${value}" is not a decimal`);
  if (amount.rounded && options.rounding === 'reject') {
    return rejected('amount-precision', `value "${value}" has more decimals than ${options.currency} allows`);
  }
  if (amount.minor === 0n) return rejected('amount-zero', `value "${value}" is zero in minor units`);

  const bookedAt = new Date(options.startDate.getTime() + Number(step) * DAY_MS).toISOString();
  const event: BankTransferReceived = {
    schemaVersion: 1,
    reportedBy: options.bankId,
    transferId: amlsimTransferId(options.sourceTag, rowNumber),
    bookedAt,
    amount: { value: amount.value, currency: options.currency },
    debtor: { accountId: source, bankId: options.bankId, country: options.country },
    creditor: { accountId: target, bankId: options.bankId, country: options.country },
  };
  return { kind: 'event', event, ...(amount.rounded ? { roundedCurrency: options.currency } : {}) };
};

/** Maps one nodes.csv row to an account label (`isFraud` is per account in AMLSim). */
export const mapAmlsimNode = (
  fields: readonly string[],
  columns: AmlsimNodeColumns,
  bankId: string,
): ParseResult<LabelRecord> => {
  const accountId = fields[columns.nodeid]?.trim() ?? '';
  const isFraud = fields[columns.isFraud]?.trim();
  const fraudStep = fields[columns.fraudStep]?.trim() ?? '';
  if (!/^\d+$/.test(accountId)) return { ok: false, reason: `nodeid "${accountId}" is not a node number` };
  if (isFraud !== '0' && isFraud !== '1')
    return { ok: false, reason: `isFraud "${isFraud}" is neither 0 nor 1` };
  if (!/^-?\d+$/.test(fraudStep)) return { ok: false, reason: `fraudStep "${fraudStep}" is not an integer` };
  // AMLSim writes -1 when the account never acted fraudulently.
  return {
    ok: true,
    value: {
      bankId,
      accountId,
      isFraud: isFraud === '1',
      fraudStep: fraudStep === '-1' ? null : Number(fraudStep),
    },
  };
};
