import type { Chain } from '@scamflow/contracts';
import type { SeededRandom } from './seeded-random';

export const SIM_COUNTRIES = ['TH', 'KH', 'MM', 'LA', 'VN', 'SG', 'MY'] as const;
export type SimCountry = (typeof SIM_COUNTRIES)[number];

export interface SimBank {
  readonly bankId: string;
  readonly country: SimCountry;
}

/** BIC-like bank ids; the simulation's banks, several per country. */
export const SIM_BANKS: readonly SimBank[] = [
  { bankId: 'KASITHBK', country: 'TH' },
  { bankId: 'BKKBTHBK', country: 'TH' },
  { bankId: 'SCBLTHBX', country: 'TH' },
  { bankId: 'KRTHTHBK', country: 'TH' },
  { bankId: 'GSBATHBK', country: 'TH' },
  { bankId: 'AYUDTHBK', country: 'TH' },
  { bankId: 'ABAAKHPP', country: 'KH' },
  { bankId: 'ACLBKHPP', country: 'KH' },
  { bankId: 'KBZBMMMY', country: 'MM' },
  { bankId: 'AYABMMMY', country: 'MM' },
  { bankId: 'BCELLALA', country: 'LA' },
  { bankId: 'BFTVVNVX', country: 'VN' },
  { bankId: 'DBSSSGSG', country: 'SG' },
  { bankId: 'MBBEMYKL', country: 'MY' },
];

/** Local currency per country, with its ISO 4217 exponent and a fixed rate from THB minor units. */
export const LOCAL_CURRENCY: Readonly<
  Record<SimCountry, { code: string; scale: number; perThbMinor: readonly [bigint, bigint] }>
> = {
  TH: { code: 'THB', scale: 2, perThbMinor: [1n, 1n] },
  KH: { code: 'KHR', scale: 2, perThbMinor: [115n, 1n] },
  MM: { code: 'MMK', scale: 2, perThbMinor: [60n, 1n] },
  LA: { code: 'LAK', scale: 2, perThbMinor: [640n, 1n] },
  VN: { code: 'VND', scale: 0, perThbMinor: [750n, 100n] },
  SG: { code: 'SGD', scale: 2, perThbMinor: [4n, 100n] },
  MY: { code: 'MYR', scale: 2, perThbMinor: [13n, 100n] },
};

/**
 * Reference rates (USD per one unit) matching LOCAL_CURRENCY's cross rates, plus USDT at par: published
 * before any transfer so every simulated amount can be compared across currencies and rails.
 */
export const USD_REFERENCE_RATES: readonly (readonly [string, string])[] = [
  ['THB', '0.028'],
  ['KHR', '0.000243478'],
  ['MMK', '0.000466667'],
  ['LAK', '0.00004375'],
  ['VND', '0.000003733'],
  ['SGD', '0.7'],
  ['MYR', '0.215385'],
  ['USDT', '1'],
];

export const convertFromThb = (thbMinor: bigint, country: SimCountry): bigint => {
  const [num, den] = LOCAL_CURRENCY[country].perThbMinor;
  return (thbMinor * num) / den;
};

export interface SimVasp {
  readonly vaspId: string;
  readonly country: SimCountry;
}

export const TH_VASPS: readonly SimVasp[] = [
  { vaspId: 'VASP-TH-SIAMDAX', country: 'TH' },
  { vaspId: 'VASP-TH-CHAOX', country: 'TH' },
];
export const FOREIGN_VASPS: readonly SimVasp[] = [
  { vaspId: 'VASP-KH-MEKONGX', country: 'KH' },
  { vaspId: 'VASP-KH-ANGKORVX', country: 'KH' },
  { vaspId: 'VASP-MM-IRRAX', country: 'MM' },
];

export const CHAIN_MONITOR_ID = 'CHAINMON-SIM';

/** USDT as moved on each simulated chain (6 decimals on both). */
export const USDT: Readonly<
  Record<'tron' | 'ethereum', { symbol: string; decimals: number; contract: string }>
> = {
  tron: { symbol: 'USDT', decimals: 6, contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
  ethereum: { symbol: 'USDT', decimals: 6, contract: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
};
export type SimChain = keyof typeof USDT & Chain;

/** THB minor units (satang) per USDT at the simulated desk rate. */
export const THB_MINOR_PER_USDT = 3350n;
export const USDT_MINOR_PER_UNIT = 1_000_000n;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export interface SimBankAccount {
  readonly accountId: string;
  readonly bankId: string;
  readonly country: SimCountry;
  readonly currency: string;
  readonly scale: number;
  readonly holderId: string;
}

/** Lowercase hex, so a namespace fits in transaction hashes as well as ids and addresses. */
export const NAMESPACE_PATTERN = /^[0-9a-f]{4,16}$/;

/**
 * Hands out unique, deterministic ids (accounts, holders, transfers, movements, facts, cases, addresses).
 * A `namespace` is written into every id, so runs on shared servers never share an account or a transfer;
 * it changes no random draw, only the ids (without one, ids are as they always were).
 */
export class IdSequence {
  private account = 0;
  private holder = 0;
  private transfer = 0;
  private movement = 0;
  private fact = 0;
  private caseNo = 0;
  private customer = 0;

  private readonly ns: string;

  constructor(
    private readonly rng: SeededRandom,
    private readonly namespace = '',
  ) {
    if (namespace !== '' && !NAMESPACE_PATTERN.test(namespace)) {
      throw new Error(`namespace "${namespace}" must be 4-16 lowercase hex digits`);
    }
    this.ns = namespace === '' ? '' : `${namespace}-`;
  }

  bankAccount(bank: SimBank): SimBankAccount {
    this.account += 1;
    this.holder += 1;
    const local = LOCAL_CURRENCY[bank.country];
    return {
      accountId: `${this.ns}${String(this.account).padStart(7, '0')}-${this.rng.int(0, 9)}`,
      bankId: bank.bankId,
      country: bank.country,
      currency: local.code,
      scale: local.scale,
      holderId: `H${this.ns}${String(this.holder).padStart(7, '0')}${this.rng.hex(4)}`,
    };
  }

  transferId(): string {
    this.transfer += 1;
    return `SIM${this.ns}${String(this.transfer).padStart(9, '0')}`;
  }

  movementId(): string {
    this.movement += 1;
    return `MV${this.ns}${String(this.movement).padStart(9, '0')}`;
  }

  factId(): string {
    this.fact += 1;
    return `F${this.ns}${String(this.fact).padStart(9, '0')}`;
  }

  caseId(): string {
    this.caseNo += 1;
    return `CASE-SIM-${this.ns}${String(this.caseNo).padStart(6, '0')}`;
  }

  customerId(vaspId: string): string {
    this.customer += 1;
    return `${vaspId.slice(-4)}C${this.ns}${String(this.customer).padStart(8, '0')}`;
  }

  /**
   * A fresh device or phone identifier. The namespace is written into it too (same random draw), so two runs
   * with the same seed in different namespaces share no identifier and never link through shared-identifier
   * alerts.
   */
  identifier(kind: 'dev' | 'phone'): string {
    return `${kind}:${this.ns}${this.rng.hex(32)}`;
  }

  /** A fresh address on `chain` (format-like, not checksummed). */
  address(chain: SimChain): string {
    return chain === 'tron'
      ? `T${(this.namespace + this.rng.fromAlphabet(BASE58, 33)).slice(0, 33)}`
      : `0x${(this.namespace + this.rng.hex(40)).slice(0, 40)}`;
  }

  txHash(chain: SimChain): string {
    const hash = (this.namespace + this.rng.hex(64)).slice(0, 64);
    return chain === 'tron' ? hash : `0x${hash}`;
  }
}
