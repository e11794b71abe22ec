import {
  TOPICS,
  accountKeyOf,
  bankTransferIdOf,
  type AccountFactObserved,
  type AccountType,
  type BankTransferReceived,
  type FxRatePublished,
  type VaTransferReceived,
  type VictimReportFiled,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { GroundTruthRecord, TransferTruth } from './ground-truth';
import type { SeededRandom } from './seeded-random';
import {
  CHAIN_MONITOR_ID,
  IdSequence,
  USDT,
  type SimBankAccount,
  type SimChain,
  type SimVasp,
} from './sim-world';

export const FEED_TOPICS = [
  TOPICS.fxRatePublished,
  TOPICS.bankTransferReceived,
  TOPICS.vaTransferReceived,
  TOPICS.accountFactObserved,
  TOPICS.victimReportFiled,
] as const;
export type FeedTopic = (typeof FEED_TOPICS)[number];

export type FeedItem =
  | FeedItemOf<typeof TOPICS.bankTransferReceived, BankTransferReceived>
  | FeedItemOf<typeof TOPICS.vaTransferReceived, VaTransferReceived>
  | FeedItemOf<typeof TOPICS.accountFactObserved, AccountFactObserved>
  | FeedItemOf<typeof TOPICS.victimReportFiled, VictimReportFiled>
  | FeedItemOf<typeof TOPICS.fxRatePublished, FxRatePublished>;

interface FeedItemOf<T extends FeedTopic, V> {
  readonly kind: 'feed';
  readonly at: number;
  readonly seq: number;
  readonly topic: T;
  readonly key: string;
  readonly value: V;
  readonly truth?: TransferTruth;
}

export interface TruthItem {
  readonly kind: 'truth';
  readonly at: number;
  readonly seq: number;
  readonly truth: GroundTruthRecord;
}

export type SimItem = FeedItem | TruthItem;

/** Time order, ties broken by creation order: the output order is a pure function of the seed. */
export const bySimTime = (a: SimItem, b: SimItem): number => a.at - b.at || a.seq - b.seq;

export interface ProceedsTag {
  readonly operationId: string;
  readonly victimKeys: readonly string[];
}

export interface CustomerAccount {
  readonly vasp: SimVasp;
  readonly customerAccountId: string;
  readonly holderId: string;
}

export const bankAccountKey = (a: SimBankAccount): string => accountKeyOf(a.bankId, a.accountId);
export const customerKey = (c: CustomerAccount): string => accountKeyOf(c.vasp.vaspId, c.customerAccountId);
export const walletKey = (chain: SimChain, address: string): string => `${chain}:${address}`;

const iso = (ms: number): string => new Date(ms).toISOString();

const bankParty = (a: SimBankAccount) => ({
  accountId: a.accountId,
  bankId: a.bankId,
  country: a.country,
  holderId: a.holderId,
});

const THB_ASSET = { symbol: 'THB', decimals: 2 } as const;

/** Builds feed events with their ground truth; every builder call gets the next sequence number. */
export class SimItemFactory {
  private seq = 0;

  constructor(
    readonly rng: SeededRandom,
    readonly ids: IdSequence,
  ) {}

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private truthOf(
    transferKey: string,
    fromKey: string,
    toKey: string,
    amountMinor: bigint,
    currency: string,
    scale: number,
    tag: ProceedsTag | undefined,
  ): TransferTruth {
    return {
      record: 'transfer',
      transferKey,
      fromKey,
      toKey,
      proceeds: tag !== undefined,
      ...(tag ? { operationId: tag.operationId, victimKeys: tag.victimKeys } : {}),
      amountMinor: amountMinor.toString(),
      currency,
      scale,
    };
  }

  /** A domestic transfer in the debtor's currency, reported by the debtor's bank. */
  bankTransfer(
    at: number,
    from: SimBankAccount,
    to: SimBankAccount,
    amountMinor: bigint,
    tag?: ProceedsTag,
  ): FeedItem {
    const transferId = this.ids.transferId();
    const value: BankTransferReceived = {
      schemaVersion: 1,
      reportedBy: from.bankId,
      transferId,
      bookedAt: iso(at),
      amount: { value: formatMinor(amountMinor, from.scale), currency: from.currency },
      debtor: bankParty(from),
      creditor: bankParty(to),
      channel: this.rng.chance(0.8) ? 'mobile' : 'instant-proxy',
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.bankTransferReceived,
      key: from.accountId,
      value,
      truth: this.truthOf(
        bankTransferIdOf(from.bankId, transferId),
        bankAccountKey(from),
        bankAccountKey(to),
        amountMinor,
        from.currency,
        from.scale,
        tag,
      ),
    };
  }

  /** Fiat deposit from a bank account into a VASP customer account (THB). */
  fiatDeposit(
    at: number,
    from: SimBankAccount,
    to: CustomerAccount,
    amountMinor: bigint,
    tag?: ProceedsTag,
  ): FeedItem {
    return this.ledger(at, to, 'deposit', THB_ASSET, amountMinor, { bankAccount: bankParty(from) }, tag, {
      fromKey: bankAccountKey(from),
      toKey: customerKey(to),
    });
  }

  /** Fiat withdrawal from a VASP customer account back to a bank account (THB). */
  fiatWithdrawal(at: number, from: CustomerAccount, to: SimBankAccount, amountMinor: bigint): FeedItem {
    return this.ledger(
      at,
      from,
      'withdrawal',
      THB_ASSET,
      amountMinor,
      { bankAccount: bankParty(to) },
      undefined,
      {
        fromKey: customerKey(from),
        toKey: bankAccountKey(to),
      },
    );
  }

  /** USDT withdrawal from a customer account to an external address, settled by `txHash`. */
  usdtWithdrawal(
    at: number,
    from: CustomerAccount,
    chain: SimChain,
    address: string,
    amountMinor: bigint,
    txHash: string,
    tag?: ProceedsTag,
  ): FeedItem {
    return this.ledger(at, from, 'withdrawal', USDT[chain], amountMinor, { chain, address }, tag, {
      fromKey: customerKey(from),
      toKey: walletKey(chain, address),
      txHash,
    });
  }

  /** USDT credited to a customer after arriving at the customer's deposit address. */
  usdtDeposit(
    at: number,
    to: CustomerAccount,
    chain: SimChain,
    depositAddress: string,
    amountMinor: bigint,
    txHash: string,
    tag?: ProceedsTag,
  ): FeedItem {
    return this.ledger(at, to, 'deposit', USDT[chain], amountMinor, { chain, address: depositAddress }, tag, {
      fromKey: walletKey(chain, depositAddress),
      toKey: customerKey(to),
      txHash,
    });
  }

  private ledger(
    at: number,
    customer: CustomerAccount,
    movement: 'deposit' | 'withdrawal',
    asset: { readonly symbol: string; readonly decimals: number; readonly contract?: string },
    amountMinor: bigint,
    counterparty: Extract<VaTransferReceived, { kind: 'ledger' }>['counterparty'],
    tag: ProceedsTag | undefined,
    edge: { fromKey: string; toKey: string; txHash?: string },
  ): FeedItem {
    const movementId = this.ids.movementId();
    const value: VaTransferReceived = {
      schemaVersion: 1,
      kind: 'ledger',
      reportedBy: customer.vasp.vaspId,
      vaspCountry: customer.vasp.country,
      movementId,
      movement,
      customerAccountId: customer.customerAccountId,
      customerHolderId: customer.holderId,
      asset: { ...asset },
      amount: formatMinor(amountMinor, asset.decimals),
      bookedAt: iso(at),
      counterparty,
      ...(edge.txHash !== undefined ? { txHash: edge.txHash } : {}),
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.vaTransferReceived,
      key: customer.customerAccountId,
      value,
      truth: this.truthOf(
        `vasp:${customer.vasp.vaspId}:${movementId}`,
        edge.fromKey,
        edge.toKey,
        amountMinor,
        asset.symbol,
        asset.decimals,
        tag,
      ),
    };
  }

  /** A USDT token transfer seen on chain; `toVasp` attributes a deposit address to its VASP. */
  onChain(
    at: number,
    chain: SimChain,
    from: string,
    to: string,
    amountMinor: bigint,
    txHash: string,
    toVasp: { vasp: SimVasp; customerAccountId: string } | undefined,
    tag?: ProceedsTag,
  ): FeedItem {
    const value: VaTransferReceived = {
      schemaVersion: 1,
      kind: 'onchain',
      reportedBy: CHAIN_MONITOR_ID,
      chain,
      txHash,
      logIndex: 0,
      from: { address: from, attribution: { kind: 'unhosted' } },
      to: toVasp
        ? {
            address: to,
            attribution: {
              kind: 'deposit-address',
              vaspId: toVasp.vasp.vaspId,
              country: toVasp.vasp.country,
              customerAccountId: toVasp.customerAccountId,
            },
          }
        : { address: to, attribution: { kind: 'unhosted' } },
      asset: { ...USDT[chain] },
      amount: formatMinor(amountMinor, USDT[chain].decimals),
      blockTime: iso(at),
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.vaTransferReceived,
      key: from,
      value,
      truth: this.truthOf(
        `onchain:${chain}:${txHash}:0`,
        walletKey(chain, from),
        walletKey(chain, to),
        amountMinor,
        'USDT',
        USDT[chain].decimals,
        tag,
      ),
    };
  }

  accountOpened(
    at: number,
    account: SimBankAccount,
    openedAt: number,
    accountType: AccountType = 'personal',
  ): FeedItem {
    const value: AccountFactObserved = {
      schemaVersion: 1,
      kind: 'account-opened',
      factId: this.ids.factId(),
      reportedBy: account.bankId,
      observedAt: iso(at),
      accountId: account.accountId,
      institutionId: account.bankId,
      country: account.country,
      openedAt: iso(openedAt),
      accountType,
      holderId: account.holderId,
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.accountFactObserved,
      key: account.accountId,
      value,
    };
  }

  identifierSeen(
    at: number,
    account: SimBankAccount,
    type: 'device' | 'phone',
    identifierValue: string,
  ): FeedItem {
    const value: AccountFactObserved = {
      schemaVersion: 1,
      kind: 'identifier-seen',
      factId: this.ids.factId(),
      reportedBy: account.bankId,
      observedAt: iso(at),
      accountId: account.accountId,
      institutionId: account.bankId,
      country: account.country,
      identifierType: type,
      identifierValue,
      seenAt: iso(at),
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.accountFactObserved,
      key: account.accountId,
      value,
    };
  }

  victimReport(at: number, report: Omit<VictimReportFiled, 'schemaVersion' | 'reportedAt'>): FeedItem {
    const value: VictimReportFiled = { schemaVersion: 1, ...report, reportedAt: iso(at) };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.victimReportFiled,
      key: report.caseId,
      value,
    };
  }

  /** `source` names the run's namespace when there is one, so a run's rates are recognisable on a shared topic. */
  fxRate(at: number, base: string, rate: string, namespace?: string): FeedItem {
    const value: FxRatePublished = {
      schemaVersion: 1,
      base,
      quote: 'USD',
      rate,
      validFrom: iso(at),
      source: namespace ? `SIM-REFERENCE-RATES-${namespace}` : 'SIM-REFERENCE-RATES',
    };
    return {
      kind: 'feed',
      at,
      seq: this.nextSeq(),
      topic: TOPICS.fxRatePublished,
      key: `${base}:USD`,
      value,
    };
  }

  truth(at: number, truth: GroundTruthRecord): TruthItem {
    return { kind: 'truth', at, seq: this.nextSeq(), truth };
  }
}
