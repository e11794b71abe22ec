import type { AccountKind, MinorMoney, Rail } from '@scamflow/contracts';

/** An account as a filing names it: what the graph (or the alert) knows about it. */
export interface FilingAccount {
  readonly accountKey: string;
  readonly accountId: string;
  readonly institutionId: string;
  readonly country: string;
  /** Absent means a bank account. */
  readonly kind?: AccountKind | undefined;
  readonly openedAt?: string | null | undefined;
  readonly closedAt?: string | null | undefined;
}

/** A transfer as a filing lists it. */
export interface FilingTransfer {
  readonly transferId: string;
  readonly bookedAt: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly amount: MinorMoney;
  /** Absent means a bank transfer. */
  readonly rail?: Rail | undefined;
  /** On-chain transaction hash (virtual-asset legs). */
  readonly txHash?: string | null | undefined;
  /** A line for the transaction's `comments`, e.g. the traced share of it. */
  readonly note?: string | undefined;
}

/** Wallet keys are `<chain>:<address>`; bank and VASP keys `<institutionId>:<accountId>`. */
export const accountFromKey = (accountKey: string): FilingAccount => {
  const colon = accountKey.indexOf(':');
  const head = colon > 0 ? accountKey.slice(0, colon) : 'unknown';
  const tail = colon > 0 ? accountKey.slice(colon + 1) : accountKey;
  return { accountKey, accountId: tail, institutionId: head, country: 'ZZ' };
};

/** Chain of a wallet (the key's prefix), undefined for other accounts. */
export const chainOf = (account: FilingAccount): string | undefined =>
  account.kind === 'wallet' ? account.accountKey.slice(0, account.accountKey.indexOf(':')) : undefined;
