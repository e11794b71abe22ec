import { formatMinor } from '@scamflow/money';

/** What to do with an amount that has more decimals than its currency's ISO 4217 exponent. */
export const ROUNDING_MODES = ['half-even', 'reject'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export interface ScaledAmount {
  /** Decimal string with exactly `scale` decimals, e.g. "22.70" or "1949819". */
  readonly value: string;
  readonly minor: bigint;
  /** True when a non-zero digit beyond the exponent was dropped (trailing zeros are not rounding). */
  readonly rounded: boolean;
}

const DECIMAL = /^(\d+)(?:\.(\d*))?$/;

/**
 * Brings a decimal text to a currency exponent with banker's rounding (half to even), in bigint arithmetic:
 * the text is never turned into a JS number. Returns undefined when the text is not a plain decimal.
 */
export const toScale = (text: string, scale: number): ScaledAmount | undefined => {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const kept = fraction.slice(0, scale).padEnd(scale, '0');
  const dropped = fraction.slice(scale);
  let minor = BigInt(whole + kept);
  const rounded = /[1-9]/.test(dropped);
  if (rounded) {
    const first = dropped.charCodeAt(0) - 48;
    const beyondHalf = /[1-9]/.test(dropped.slice(1));
    if (first > 5 || (first === 5 && (beyondHalf || minor % 2n === 1n))) minor += 1n;
  }
  return { value: formatMinor(minor, scale), minor, rounded };
};
