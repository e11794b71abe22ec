import { z } from 'zod';

/** Identifiers producers send: printable, bounded, no whitespace (they end up in keys and Cypher params). */
export const IdentifierSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:\-/#]*$/, 'must be 1-128 characters of letters, digits and . _ : - / #');

/** A non-negative decimal amount as a string, e.g. "1250.50". Never a JS number: floats lose money. */
export const DecimalAmountSchema = z
  .string()
  .max(40)
  .regex(
    /^(0|[1-9]\d{0,27})(\.\d{1,18})?$/,
    'must be a decimal string such as "1250.50" (no sign, no exponent)',
  );

/** ISO 4217 alphabetic code shape; whether the code exists is checked where amounts are normalised. */
export const CurrencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "THB"');

/** Code of what is moved: an ISO 4217 currency ("THB") or a virtual asset's symbol ("USDT", "ETH"). */
export const AssetCodeSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,12}$/, 'must be an ISO 4217 code or an asset symbol such as "USDT"');

/** ISO 3166-1 alpha-2 country code ("ZZ" where the jurisdiction is unknown, e.g. an unhosted wallet). */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "TH"');

/** Timestamp with an explicit offset, e.g. 2026-11-23T09:15:00Z or 2026-11-23T16:15:00+07:00. */
export const TimestampSchema = z.iso.datetime({ offset: true });

export const MoneySchema = z.strictObject({
  value: DecimalAmountSchema,
  currency: CurrencyCodeSchema,
});
export type Money = z.infer<typeof MoneySchema>;

/** Money normalised to integer minor units (as a decimal string of an integer, safe for bigint). */
export const MinorMoneySchema = z.strictObject({
  amountMinor: z.string().regex(/^-?\d{1,40}$/, 'must be an integer string'),
  currency: AssetCodeSchema,
  /** Decimal places of the minor unit (2 for THB, 0 for JPY, 6 for USDT on TRON). */
  scale: z.number().int().min(0).max(18),
});
export type MinorMoney = z.infer<typeof MinorMoneySchema>;
