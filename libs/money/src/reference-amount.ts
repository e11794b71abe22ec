import type { MinorMoney } from '@scamflow/contracts';
import { divideHalfEven } from './half-even';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

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
  // amount = minor / 10^scale, rate = rateUnits / 10^fraction.length, result in 10^-referenceScale units.
  const numerator = BigInt(amount.amountMinor) * rateUnits * 10n ** BigInt(referenceScale);
  return divideHalfEven(numerator, 10n ** BigInt(amount.scale + fraction.length));
};
