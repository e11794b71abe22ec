import { code as currencyByCode } from 'currency-codes';
import type { MinorMoney, ParseResult } from '@scamflow/contracts';

/** Minor-unit exponent of an ISO 4217 currency (2 for THB, 0 for JPY, 3 for KWD), or undefined if unknown. */
export const currencyScale = (currency: string): number | undefined => currencyByCode(currency)?.digits;

/**
 * Converts a decimal string ("1250.5") into integer minor units of its ISO 4217 currency ("125050", scale 2).
 * Rejects unknown currencies and amounts with more decimals than the currency allows: silently rounding
 * someone's money is worse than rejecting the event.
 */
export const toMinorUnits = (value: string, currency: string): ParseResult<MinorMoney> => {
  const scale = currencyScale(currency);
  if (scale === undefined) return { ok: false, reason: `unknown currency "${currency}" (not in ISO 4217)` };
  return toMinorUnitsAtScale(value, currency, scale);
};

/**
 * Converts a decimal string into integer minor units at an explicit scale: a virtual asset's token
 * decimals (6 for USDT on TRON, 18 for ETH). Refuses more decimals than the scale allows.
 */
export const toMinorUnitsAtScale = (value: string, code: string, scale: number): ParseResult<MinorMoney> => {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, reason: `amount "${value}" is not a decimal string` };
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) {
    return {
      ok: false,
      reason: `amount "${value}" has ${fraction.length} decimals; ${code} allows ${scale}`,
    };
  }
  const minor = BigInt(whole + fraction.padEnd(scale, '0'));
  return { ok: true, value: { amountMinor: minor.toString(), currency: code, scale } };
};

/** Formats minor units back into a decimal string ("125050", 2 → "1250.50"). */
export const formatMinor = (amountMinor: bigint | string, scale: number): string => {
  const minor = typeof amountMinor === 'bigint' ? amountMinor : BigInt(amountMinor);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
};

/** Ratio a/b of two bigints as a number in [0, ∞), for scores only (never for amounts). */
export const ratioOf = (numerator: bigint, denominator: bigint): number => {
  if (denominator === 0n) return 0;
  // Scale to 6 decimal places in integer space before converting, so large amounts do not lose precision.
  return Number((numerator * 1_000_000n) / denominator) / 1_000_000;
};
