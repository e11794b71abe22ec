import type {
  AccountRef,
  Chain,
  LedgerMovement,
  OnChainTransfer,
  ParseResult,
  TransferAccepted,
  VaTransferReceived,
} from '@scamflow/contracts';
import { onChainTransferIdOf, vaspMovementIdOf, walletKeyOf } from '@scamflow/contracts';
import {
  accountKeyOf,
  toCanonicalTransfer,
  type MappingLimits,
  type SourceCoordinates,
  type TransferDraft,
} from './canonical-transfer.mapper';

/** Institution of an address nobody has attributed, and the ISO 3166 user-assigned code for "unknown". */
export const UNHOSTED = 'unhosted';
export const UNKNOWN_COUNTRY = 'ZZ';

/** EVM addresses are case-insensitive (mixed case is only a checksum); others (TRON, Bitcoin) are not. */
const EVM_CHAINS: ReadonlySet<Chain> = new Set(['ethereum', 'bsc', 'polygon']);
const normaliseAddress = (chain: Chain, address: string): string =>
  EVM_CHAINS.has(chain) ? address.toLowerCase() : address;

const walletKeyOfAddress = (chain: Chain, address: string): string =>
  walletKeyOf(chain, normaliseAddress(chain, address));

const walletRef = (chain: Chain, endpoint: OnChainTransfer['from']): AccountRef => {
  const attribution = endpoint.attribution;
  const hosted = attribution && attribution.kind !== 'unhosted';
  return {
    accountKey: walletKeyOfAddress(chain, endpoint.address),
    accountId: normaliseAddress(chain, endpoint.address),
    institutionId: hosted && attribution.vaspId ? attribution.vaspId : UNHOSTED,
    country: hosted && attribution.country ? attribution.country : UNKNOWN_COUNTRY,
    kind: 'wallet',
  };
};

const customerRef = (m: LedgerMovement, customerAccountId: string, holderId?: string): AccountRef => ({
  accountKey: accountKeyOf(m.reportedBy, customerAccountId),
  accountId: customerAccountId,
  institutionId: m.reportedBy,
  country: m.vaspCountry,
  kind: 'vasp-account',
  ...(holderId ? { holderId } : {}),
});

const counterpartyRef = (m: LedgerMovement): AccountRef => {
  const c = m.counterparty;
  if ('bankAccount' in c) {
    const bank = c.bankAccount;
    return {
      accountKey: accountKeyOf(bank.bankId, bank.accountId),
      accountId: bank.accountId,
      institutionId: bank.bankId,
      country: bank.country,
      kind: 'bank-account',
      ...(bank.holderId ? { holderId: bank.holderId } : {}),
    };
  }
  if ('address' in c) {
    // A deposit arrives at the customer's own deposit address, which the VASP hosts.
    const hostedHere = m.movement === 'deposit';
    return walletRef(c.chain, {
      address: c.address,
      attribution: hostedHere
        ? {
            kind: 'deposit-address',
            vaspId: m.reportedBy,
            country: m.vaspCountry,
            customerAccountId: m.customerAccountId,
          }
        : undefined,
    });
  }
  return customerRef(m, c.customerAccountId);
};

const onChainDraft = (t: OnChainTransfer): TransferDraft => ({
  // One transaction can carry several token transfers: the log index tells them apart.
  transferId: onChainTransferIdOf(t.chain, t.txHash.toLowerCase(), t.logIndex),
  rail: 'onchain',
  txHash: t.txHash,
  assetScale: t.asset.decimals,
  reportedBy: t.reportedBy,
  bookedAt: t.blockTime,
  amount: { value: t.amount, currency: t.asset.symbol },
  debtor: walletRef(t.chain, t.from),
  creditor: walletRef(t.chain, t.to),
});

const ledgerDraft = (m: LedgerMovement): TransferDraft => {
  const customer = customerRef(m, m.customerAccountId, m.customerHolderId);
  const other = counterpartyRef(m);
  const [debtor, creditor] = m.movement === 'deposit' ? [other, customer] : [customer, other];
  return {
    transferId: vaspMovementIdOf(m.reportedBy, m.movementId),
    rail: 'vasp-ledger',
    ...(m.txHash ? { txHash: m.txHash } : {}),
    assetScale: m.asset.decimals,
    reportedBy: m.reportedBy,
    bookedAt: m.bookedAt,
    amount: { value: m.amount, currency: m.asset.symbol },
    debtor,
    creditor,
  };
};

/**
 * Normalises a virtual-asset transfer into the canonical transfer, so fiat and crypto form one graph:
 * bank account → (ledger deposit) → VASP customer account → (ledger withdrawal) → wallet → (on-chain hops)
 * → deposit address → (ledger deposit) → foreign VASP customer account.
 */
export const mapVaTransfer = (
  event: VaTransferReceived,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted> =>
  toCanonicalTransfer(
    event.kind === 'onchain' ? onChainDraft(event) : ledgerDraft(event),
    source,
    limits,
    now,
  );
