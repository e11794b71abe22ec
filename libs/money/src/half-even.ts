import { formatMinor } from './minor-units';

/** Integer division rounded half to even (banker's rounding); the divisor must be positive. */
export const divideHalfEven = (numerator: bigint, divisor: bigint): bigint => {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / divisor;
  const twiceRemainder = 2n * (magnitude % divisor);
  const rounded =
    twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  return negative ? -rounded : rounded;
};

export interface ScaledAmount {
  /** Decimal string with exactly `scale` decimals, e.g. "22.70" or "1949819". */
  readonly value: string;
  readonly minor: bigint;
  /** True when a non-zero digit beyond the scale was dropped (trailing zeros are not rounding). */
  readonly rounded: boolean;
}

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/**
 * Brings a decimal text to `scale` decimals with half-even rounding, in bigint arithmetic: the text is never
 * turned into a JS number. Returns undefined when the text is not a plain decimal.
 */
export const roundToScale = (text: string, scale: number): ScaledAmount | undefined => {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const units = BigInt(`${match[1] ?? '0'}${fraction}`);
  const excess = fraction.length - scale;
  const minor = excess > 0 ? divideHalfEven(units, 10n ** BigInt(excess)) : units * 10n ** BigInt(-excess);
  const rounded = excess > 0 && /[1-9]/.test(fraction.slice(scale));
  return { value: formatMinor(minor, scale), minor, rounded };
};
