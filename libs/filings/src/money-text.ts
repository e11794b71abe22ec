import type { MinorMoney } from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';

/** Money as the API and the documents show it: the contract's minor units plus the exact decimal text. */
export interface ShownMoney extends MinorMoney {
  readonly decimal: string;
}

export const shownMoney = (money: MinorMoney): ShownMoney => ({
  ...money,
  decimal: formatMinor(money.amountMinor, money.scale),
});

/** Sums amounts per currency (exact bigint); the result is ordered by currency code. */
export const sumPerCurrency = (amounts: readonly MinorMoney[]): MinorMoney[] => {
  const sums = new Map<string, { minor: bigint; scale: number }>();
  for (const amount of amounts) {
    const current = sums.get(amount.currency);
    sums.set(amount.currency, {
      minor: (current?.minor ?? 0n) + BigInt(amount.amountMinor),
      scale: amount.scale,
    });
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, { minor, scale }]) => ({ amountMinor: minor.toString(), currency, scale }));
};
