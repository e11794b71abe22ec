import type { BankTransferReceived, ParseResult } from '@scamflow/contracts';
import { currencyScale, roundToScale } from '@scamflow/money';
import { isAmlworldVirtualAsset, isoCodeOfAmlworldCurrency } from './amlworld-currencies';
import type { RoundingMode } from './decimal-amount';
import { rejected, type RowOutcome } from './row-outcome';

/**
 * IBM AMLworld transactions (Altman et al. 2023), e.g. HI-Small_Trans.csv. The original file names both
 * account columns `Account`; copies made with pandas call the second one `Account.1`. Columns are read by
 * position after the header is checked.
 */
export const AMLWORLD_HEADER = [
  'Timestamp',
  'From Bank',
  'Account',
  'To Bank',
  'Account.1',
  'Amount Received',
  'Receiving Currency',
  'Amount Paid',
  'Payment Currency',
  'Payment Format',
  'Is Laundering',
] as const;

const ALTERNATIVE_NAMES: Readonly<Record<number, readonly string[]>> = { 4: ['Account'] };

export const checkAmlworldHeader = (header: readonly string[]): ParseResult<void> => {
  const names = header.map((name) => name.trim());
  const fits =
    names.length === AMLWORLD_HEADER.length &&
    AMLWORLD_HEADER.every(
      (expected, i) => names[i] === expected || (ALTERNATIVE_NAMES[i] ?? []).includes(names[i] ?? ''),
    );
  return fits
    ? { ok: true, value: undefined }
    : {
        ok: false,
        reason: `not an AMLworld transactions header: expected "${AMLWORLD_HEADER.join(',')}"`,
      };
};

export interface AmlworldMappingOptions {
  /** Names the source file in transfer ids, so a re-import of the same file yields the same ids. */
  readonly sourceTag: string;
  /** The dataset has no countries: every party gets this one. */
  readonly country: string;
  readonly rounding: RoundingMode;
}

const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2022/09/01 00:20" (UTC assumed: the dataset gives no zone) → "2022-09-01T00:20:00Z". */
export const amlworldTimestampToIso = (text: string): string | undefined => {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  // Reject dates Date would roll over (2022/02/30) by comparing the round trip.
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString() !== `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`
    ? undefined
    : iso;
};

/** The dataset's bank ids are numbers; the original file zero-pads them ("010"), its copies do not ("10"). */
const normaliseBankId = (text: string): string => (/^\d+$/.test(text) ? text.replace(/^0+(?=\d)/, '') : text);

export const amlworldTransferId = (sourceTag: string, rowNumber: number): string =>
  `amlworld:${sourceTag}:${rowNumber}`;

/**
 * Maps one data row (1-based `rowNumber`, header excluded) to a bank transfer. Amount Paid in Payment
 * Currency is the transfer amount; the received side of cross-currency rows is not carried by the feed.
 */
export const mapAmlworldRow = (
  fields: readonly string[],
  rowNumber: number,
  options: AmlworldMappingOptions,
): RowOutcome => {
  if (fields.length !== AMLWORLD_HEADER.length) {
    return rejected('column-count', `expected ${AMLWORLD_HEADER.length} columns, got ${fields.length}`);
  }
  const [
    timestamp,
    fromBank,
    fromAccount,
    toBank,
    toAccount,
    ,
    receivingCurrency,
    amountPaid,
    paymentCurrency,
  ] = fields.map((field) => field.trim());
  const isLaundering = fields[10]?.trim();

  if (isAmlworldVirtualAsset(paymentCurrency ?? '') || isAmlworldVirtualAsset(receivingCurrency ?? '')) {
    return {
      kind: 'skipped',
      code: 'virtual-asset',
      detail: `${paymentCurrency} → ${receivingCurrency} is not an ISO 4217 currency`,
    };
  }
  const currency = isoCodeOfAmlworldCurrency(paymentCurrency ?? '');
  const scale = currency === undefined ? undefined : currencyScale(currency);
  if (currency === undefined || scale === undefined) {
    return rejected('unknown-currency', `unknown payment currency name "${paymentCurrency}"`);
  }
  const bookedAt = amlworldTimestampToIso(timestamp ?? '');
  if (bookedAt === undefined)
    return rejected('timestamp', `timestamp "${timestamp}" is not YYYY/MM/DD hh:mm`);

  const amount = roundToScale(amountPaid ?? '', scale);
  if (amount === undefined) return rejected('amount', `Amount Paid "${amountPaid}" is not a decimal`);
  if (amount.rounded && options.rounding === 'reject') {
    return rejected(
      'amount-precision',
      `Amount Paid "${amountPaid}" has more decimals than ${currency} allows`,
    );
  }
  if (amount.minor === 0n) {
    return rejected('amount-zero', `Amount Paid "${amountPaid}" is zero in ${currency} minor units`);
  }
  if (isLaundering !== '0' && isLaundering !== '1') {
    return rejected('label', `Is Laundering "${isLaundering}" is neither 0 nor 1`);
  }

  const debtorBank = normaliseBankId(fromBank ?? '');
  const creditorBank = normaliseBankId(toBank ?? '');
  const transferId = amlworldTransferId(options.sourceTag, rowNumber);
  const event: BankTransferReceived = {
    schemaVersion: 1,
    reportedBy: debtorBank,
    transferId,
    bookedAt,
    amount: { value: amount.value, currency },
    debtor: { accountId: fromAccount ?? '', bankId: debtorBank, country: options.country },
    creditor: { accountId: toAccount ?? '', bankId: creditorBank, country: options.country },
  };
  return {
    kind: 'event',
    event,
    ...(amount.rounded ? { roundedCurrency: currency } : {}),
    label: { reportedBy: debtorBank, transferId, isLaundering: isLaundering === '1' },
  };
};
