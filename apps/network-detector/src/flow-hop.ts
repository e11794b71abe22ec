import { ACCOUNT_KINDS, type AccountKind, type AccountRef, type EvidenceEdge } from '@scamflow/contracts';
import { ratioOf } from '@scamflow/money';

/** An account as the network detector knows it from the transfers it saw (parts may be unknown). */
export interface NetworkAccount {
  readonly accountKey: string;
  readonly accountId: string | null;
  readonly institutionId: string | null;
  readonly country: string | null;
  readonly kind: string | null;
}

/** One transfer of a pattern, with exact minor units. */
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

/**
 * Sums of two sets of transfers in one unit: natively when every transfer shares one currency and scale, else
 * in the reference currency when every transfer carries it, else undefined.
 */
export const comparableSums = (
  a: readonly FlowHop[],
  b: readonly FlowHop[],
): { readonly a: bigint; readonly b: bigint } | undefined => {
  const all = [...a, ...b];
  const first = all[0];
  if (!first) return { a: 0n, b: 0n };
  const sum = (hops: readonly FlowHop[], pick: (h: FlowHop) => bigint) =>
    hops.reduce((total, h) => total + pick(h), 0n);
  if (all.every((h) => h.currency === first.currency && h.scale === first.scale)) {
    return { a: sum(a, (h) => h.amountMinor), b: sum(b, (h) => h.amountMinor) };
  }
  if (all.every((h) => h.refAmountMinor !== null)) {
    return { a: sum(a, (h) => h.refAmountMinor ?? 0n), b: sum(b, (h) => h.refAmountMinor ?? 0n) };
  }
  return undefined;
};

/** A share in [0, 1]: part over whole, capped at 1 (an account may add its own money), 0 for an empty whole. */
export const cappedShare = (part: bigint, whole: bigint): number => Math.min(1, ratioOf(part, whole));

export const toEvidenceEdge = (hop: FlowHop): EvidenceEdge => ({
  transferId: hop.transferId,
  fromKey: hop.fromKey,
  toKey: hop.toKey,
  bookedAt: new Date(hop.atMs).toISOString(),
  amount: { amountMinor: hop.amountMinor.toString(), currency: hop.currency, scale: hop.scale },
});

const isAccountKind = (kind: string | null): kind is AccountKind =>
  kind !== null && (ACCOUNT_KINDS as readonly string[]).includes(kind);

/** The account as alerts name it; parts not known come from the key (`<institution>:<account>`). */
export const toAccountRef = (account: NetworkAccount): AccountRef => {
  const separator = account.accountKey.indexOf(':');
  const institution = separator > 0 ? account.accountKey.slice(0, separator) : 'unknown';
  const local = separator > 0 ? account.accountKey.slice(separator + 1) : account.accountKey;
  return {
    accountKey: account.accountKey,
    accountId: account.accountId ?? local,
    institutionId: account.institutionId ?? institution,
    // ZZ: jurisdiction not known (user-assigned code, never a real country).
    country: account.country && /^[A-Z]{2}$/.test(account.country) ? account.country : 'ZZ',
    ...(isAccountKind(account.kind) ? { kind: account.kind } : {}),
  };
};

/** An account known only by its key. */
export const accountOfKey = (accountKey: string): NetworkAccount => ({
  accountKey,
  accountId: null,
  institutionId: null,
  country: null,
  kind: null,
});

export const minutes = (ms: number): string => (ms / 60_000).toFixed(1);
