import type { MinorMoney } from '@scamflow/contracts';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Integer division rounded half to even (banker's rounding), for a non-negative numerator and positive divisor. */
const divideHalfEven = (numerator: bigint, divisor: bigint): bigint => {
  const quotient = numerator / divisor;
  const twiceRemainder = 2n * (numerator % divisor);
  if (twiceRemainder > divisor) return quotient + 1n;
  if (twiceRemainder < divisor) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
};

/**
 * Converts an amount into minor units of a reference currency: `rate` is a decimal string of reference units
 * per ONE unit of the amount's currency; the result is rounded half-even to `referenceScale` decimals.
 * Integer arithmetic only, so amounts far beyond the float range (and 18-decimal assets) stay exact.
 */
export const toReferenceAmount = (amount: MinorMoney, rate: string, referenceScale: number): bigint => {
  const match = DECIMAL.exec(rate);
  if (!match) throw new RangeError(`rate "${rate}" is not a decimal string`);
  if (!Number.isInteger(referenceScale) || referenceScale < 0) {
    throw new RangeError(`reference scale ${referenceScale} is not a non-negative integer`);
  }
  const fraction = match[2] ?? '';
  const rateUnits = BigInt(`${match[1] ?? '0'}${fraction}`);
  const minor = BigInt(amount.amountMinor);
  const magnitude = minor < 0n ? -minor : minor;
  // amount = minor / 10^scale, rate = rateUnits / 10^fraction.length, result in 10^-referenceScale units.
  const numerator = magnitude * rateUnits * 10n ** BigInt(referenceScale);
  const divisor = 10n ** BigInt(amount.scale + fraction.length);
  const converted = divideHalfEven(numerator, divisor);
  return minor < 0n ? -converted : converted;
};
