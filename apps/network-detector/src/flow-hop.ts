import { ACCOUNT_KINDS, type AccountKind, type AccountRef, type EvidenceEdge } from '@scamflow/contracts';
import type { GraphAccount, PatternHop } from '@scamflow/graph';
import { ratioOf } from '@scamflow/money';

/** One transfer of a graph pattern, with exact minor units. */
export interface FlowHop {
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly atMs: number;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly scale: number;
  /** Amount in the reference currency, when the transfer carried a rate. */
  readonly refAmountMinor: bigint | null;
}

export const toFlowHop = (hop: PatternHop): FlowHop => ({
  transferId: hop.transferId,
  fromKey: hop.from.accountKey,
  toKey: hop.to.accountKey,
  atMs: Date.parse(hop.bookedAt),
  amountMinor: BigInt(hop.amount.amountMinor),
  currency: hop.amount.currency,
  scale: hop.amount.scale,
  refAmountMinor: hop.refAmountMinor === null ? null : BigInt(hop.refAmountMinor),
});

/**
 * `next`'s amount as a share of `prev`'s: natively when both share currency and scale, else in the reference
 * currency when both carry it, else undefined (never adds or compares different assets).
 */
export const shareOf = (prev: FlowHop, next: FlowHop): number | undefined => {
  if (prev.currency === next.currency && prev.scale === next.scale) {
    return ratioOf(next.amountMinor, prev.amountMinor);
  }
  if (prev.refAmountMinor !== null && next.refAmountMinor !== null) {
    return ratioOf(next.refAmountMinor, prev.refAmountMinor);
  }
  return undefined;
};

export const toEvidenceEdge = (hop: FlowHop): EvidenceEdge => ({
  transferId: hop.transferId,
  fromKey: hop.fromKey,
  toKey: hop.toKey,
  bookedAt: new Date(hop.atMs).toISOString(),
  amount: { amountMinor: hop.amountMinor.toString(), currency: hop.currency, scale: hop.scale },
});

const isAccountKind = (kind: string | null): kind is AccountKind =>
  kind !== null && (ACCOUNT_KINDS as readonly string[]).includes(kind);

/** The account as alerts name it; parts the graph lacks come from the key (`<institution>:<account>`). */
export const toAccountRef = (account: GraphAccount): AccountRef => {
  const separator = account.accountKey.indexOf(':');
  const institution = separator > 0 ? account.accountKey.slice(0, separator) : 'unknown';
  const local = separator > 0 ? account.accountKey.slice(separator + 1) : account.accountKey;
  return {
    accountKey: account.accountKey,
    accountId: account.accountId ?? local,
    institutionId: account.institutionId ?? institution,
    // ZZ: jurisdiction not yet known to the graph (user-assigned code, never a real country).
    country: account.country && /^[A-Z]{2}$/.test(account.country) ? account.country : 'ZZ',
    ...(isAccountKind(account.kind) ? { kind: account.kind } : {}),
  };
};

export const minutes = (ms: number): string => (ms / 60_000).toFixed(1);
