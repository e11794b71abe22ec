import type { AccountFlow } from './account-flows';

/** Builders for detector unit tests: legs in minutes after a fixed instant. */
export const T0 = Date.parse('2026-11-23T02:00:00Z');
export const MIN = 60_000;
export const DAY = 24 * 60 * MIN;

export const leg = (
  transferId: string,
  counterpartyKey: string,
  amountMinor: bigint,
  atMin: number,
  more: Partial<AccountFlow> = {},
): AccountFlow => ({
  transferId,
  counterpartyKey,
  amountMinor,
  currency: 'THB',
  scale: 2,
  atMs: T0 + atMin * MIN,
  ...more,
});
