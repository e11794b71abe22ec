import type { MuleTimeScale } from './scam-operation';

export const ACCOUNT_ROLES = [
  'victim',
  'mule',
  'collector',
  'off-ramp',
  'hop-wallet',
  'foreign-beneficiary',
  'legit-hub',
  'normal',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** Proceeds an account received and sent on in one operation, in the operation's currency minor units. */
export interface ProceedsTotals {
  readonly currency: string;
  readonly scale: number;
  readonly inMinor: string;
  readonly outMinor: string;
}

export interface AccountTruth {
  readonly record: 'account';
  /** Same key as the graph: `<institution>:<account>` or `<chain>:<address>`. */
  readonly accountKey: string;
  readonly role: AccountRole;
  readonly operationId?: string;
  /** Mules: 1 = paid by victims, 2 = paid by first-layer mules. */
  readonly layer?: number;
  readonly proceeds?: ProceedsTotals;
  /** How fast the operation's mules forward: minutes, hours or days (every account of an operation). */
  readonly timeScale?: MuleTimeScale;
}

export interface TransferTruth {
  readonly record: 'transfer';
  /** `bank:<reportedBy>:<transferId>`, `vasp:<vasp>:<movementId>` or `onchain:<chain>:<txHash>:<logIndex>`. */
  readonly transferKey: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly proceeds: boolean;
  readonly operationId?: string;
  /** Victim account keys whose money this transfer carries (mixed after the first hop). */
  readonly victimKeys?: readonly string[];
  readonly amountMinor: string;
  readonly currency: string;
  readonly scale: number;
}

export type GroundTruthRecord = AccountTruth | TransferTruth;
