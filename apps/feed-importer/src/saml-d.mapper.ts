import type { BankTransferReceived, ParseResult } from '@scamflow/contracts';
import { roundToScale } from '@scamflow/money';
import type { RoundingMode } from './decimal-amount';
import { rejected, type RowOutcome } from './row-outcome';

/**
 * SAML-D (Oztas et al. 2023, "Enhancing Anti-Money Laundering: Development of a Synthetic Transaction Monitoring
 * Dataset"): one row per transaction of a UK bank's customers, with the sender's and receiver's bank location,
 * the payment type (cash, cheque, ACH, cards, cross-border) and the typology that produced it. Columns are read by
 * position after the header is checked.
 */
export const SAML_D_HEADER = [
  'Time',
  'Date',
  'Sender_account',
  'Receiver_account',
  'Amount',
  'Payment_currency',
  'Received_currency',
  'Sender_bank_location',
  'Receiver_bank_location',
  'Payment_type',
  'Is_laundering',
  'Laundering_type',
] as const;

export const checkSamlDHeader = (header: readonly string[]): ParseResult<void> => {
  const names = header.map((name) => name.trim());
  const fits = names.length === SAML_D_HEADER.length && SAML_D_HEADER.every((n, i) => names[i] === n);
  return fits
    ? { ok: true, value: undefined }
    : { ok: false, reason: `not a SAML-D header: expected "${SAML_D_HEADER.join(',')}"` };
};

/**
 * The dataset's bank locations (its 18: the UK and the countries its cross-border payments reach) as ISO 3166
 * alpha-2 codes. An unknown name rejects the row rather than guessing a country: jurisdiction is what the
 * cross-border rules judge.
 */
export const SAML_D_LOCATIONS: Readonly<Record<string, string>> = {
  UK: 'GB',
  Albania: 'AL',
  Austria: 'AT',
  France: 'FR',
  Germany: 'DE',
  India: 'IN',
  Italy: 'IT',
  Japan: 'JP',
  Mexico: 'MX',
  Morocco: 'MA',
  Netherlands: 'NL',
  Nigeria: 'NG',
  Pakistan: 'PK',
  Spain: 'ES',
  Switzerland: 'CH',
  Turkey: 'TR',
  UAE: 'AE',
  USA: 'US',
};

export interface SamlDMappingOptions {
  /** Names the source file in transfer ids, so a re-import of the same file yields the same ids. */
  readonly sourceTag: string;
  readonly rounding: RoundingMode;
}

/**
 * The dataset has no banks, only each party's bank location: every location is one bank, `SAMLD-<country>`, and
 * the sender's bank reports the transfer.
 */
export const samlDBankOf = (countryCode: string): string => `SAMLD-${countryCode}`;

export const samlDTransferId = (sourceTag: string, rowNumber: number): string =>
  `saml-d:${sourceTag}:${rowNumber}`;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})$/;

/** "2022-12-09" and "11:38:54" (UTC assumed: the dataset gives no zone) → "2022-12-09T11:38:54Z". */
export const samlDTimestampToIso = (date: string, time: string): string | undefined => {
  if (!DATE.test(date) || !TIME.test(time)) return undefined;
  const iso = `${date}T${time}Z`;
  const parsed = new Date(iso);
  // Reject what Date would roll over (2023-02-30, 24:00:00) by comparing the round trip.
  return Number.isNaN(parsed.getTime()) || parsed.toISOString() !== `${date}T${time}.000Z` ? undefined : iso;
};

/**
 * Maps one data row (1-based `rowNumber`, header excluded) to a bank transfer. `Amount` is the dataset's amount in
 * pounds sterling, the one unit all its rows share (the payment and received currency columns say what the
 * parties hold; the feed carries one amount, so they are dropped, as the payment type is). The label keeps
 * `Is_laundering` and the dataset's own typology name.
 */
export const mapSamlDRow = (
  fields: readonly string[],
  rowNumber: number,
  options: SamlDMappingOptions,
): RowOutcome => {
  if (fields.length !== SAML_D_HEADER.length) {
    return rejected('column-count', `expected ${SAML_D_HEADER.length} columns, got ${fields.length}`);
  }
  const [
    time,
    date,
    sender,
    receiver,
    amountText,
    ,
    ,
    senderLocation,
    receiverLocation,
    ,
    isLaundering,
    launderingType,
  ] = fields.map((field) => field.trim());

  const bookedAt = samlDTimestampToIso(date ?? '', time ?? '');
  if (bookedAt === undefined) {
    return rejected('timestamp', `Date "${date}" and Time "${time}" are not YYYY-MM-DD and hh:mm:ss`);
  }
  const debtorCountry = SAML_D_LOCATIONS[senderLocation ?? ''];
  const creditorCountry = SAML_D_LOCATIONS[receiverLocation ?? ''];
  if (debtorCountry === undefined || creditorCountry === undefined) {
    const unknown = debtorCountry === undefined ? senderLocation : receiverLocation;
    return rejected('unknown-location', `unknown bank location "${unknown}"`);
  }
  if (!sender || !receiver) return rejected('account', 'Sender_account and Receiver_account are required');
  const amount = roundToScale(amountText ?? '', 2);
  if (amount === undefined) return rejected('amount', `Amount "${amountText}" is not a decimal`);
  if (amount.rounded && options.rounding === 'reject') {
    return rejected('amount-precision', `Amount "${amountText}" has more decimals than GBP allows`);
  }
  if (amount.minor === 0n) return rejected('amount-zero', `Amount "${amountText}" is zero in pence`);
  if (isLaundering !== '0' && isLaundering !== '1') {
    return rejected('label', `Is_laundering "${isLaundering}" is neither 0 nor 1`);
  }

  const debtorBank = samlDBankOf(debtorCountry);
  const creditorBank = samlDBankOf(creditorCountry);
  const transferId = samlDTransferId(options.sourceTag, rowNumber);
  const event: BankTransferReceived = {
    schemaVersion: 1,
    reportedBy: debtorBank,
    transferId,
    bookedAt,
    amount: { value: amount.value, currency: 'GBP' },
    debtor: { accountId: sender, bankId: debtorBank, country: debtorCountry },
    creditor: { accountId: receiver, bankId: creditorBank, country: creditorCountry },
  };
  return {
    kind: 'event',
    event,
    ...(amount.rounded ? { roundedCurrency: 'GBP' } : {}),
    label: {
      reportedBy: debtorBank,
      transferId,
      isLaundering: isLaundering === '1',
      launderingType: launderingType ?? '',
    },
  };
};
