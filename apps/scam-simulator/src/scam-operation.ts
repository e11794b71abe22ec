import { REPORTING_CHANNELS, TOPICS, type ScamType } from '@scamflow/contracts';
import type { AccountRole, AccountTruth } from './ground-truth';
import {
  bankAccountKey,
  customerKey,
  walletKey,
  type CustomerAccount,
  type FeedItem,
  type ProceedsTag,
  type SimItem,
  type SimItemFactory,
} from './sim-item';
import {
  FOREIGN_VASPS,
  SIM_BANKS,
  THB_MINOR_PER_USDT,
  TH_VASPS,
  USDT_MINOR_PER_UNIT,
  type SimBankAccount,
  type SimChain,
} from './sim-world';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How long before its first victim payment an operation's earliest event (a mule account opening) can be. */
export const OPERATION_LEAD_MS = 15 * DAY;

const SCAM_TYPES_USED: readonly ScamType[] = [
  'call-centre-impersonation',
  'fake-investment',
  'romance',
  'fake-job',
  'hybrid',
];
/** Largest single fiat deposit the collector makes at the off-ramp VASP (500,000.00 THB). */
const MAX_DEPOSIT_MINOR = 50_000_000n;

export interface OperationSizes {
  readonly firstLayer: readonly [number, number];
  readonly secondLayer: readonly [number, number];
}

export interface OperationRequest {
  readonly operationId: string;
  readonly startAt: number;
  /** Thai personal accounts, at least as many as the largest first layer, so every mule gets proceeds. */
  readonly victims: readonly SimBankAccount[];
  readonly sizes: OperationSizes;
  /**
   * `layered`: victims spread over first-layer mules across hours. `burst`: one receiving account takes every
   * victim's money within the hour (the classic fan-in mule) before the same layering downstream.
   */
  readonly shape?: OperationShape;
  /** Default `minutes`. */
  readonly timeScale?: MuleTimeScale;
  /** Share of victims who report (default 0.85). */
  readonly reportShare?: number;
}

/** How fast the operation's mules forward: within minutes (instant payments), hours, or days (batch-like). */
export const MULE_TIME_SCALES = ['minutes', 'hours', 'days'] as const;
export type MuleTimeScale = (typeof MULE_TIME_SCALES)[number];

export const OPERATION_SHAPES = ['layered', 'burst'] as const;
export type OperationShape = (typeof OPERATION_SHAPES)[number];

interface Inflow {
  readonly at: number;
  readonly amount: bigint;
  readonly victimKeys: ReadonlySet<string>;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/**
 * One planted operation: victims pay first-layer mules (new accounts sharing a device), which forward each
 * credit within minutes to a second layer, which sweeps to a collector, which deposits at a Thai VASP; the
 * USDT bought is withdrawn to an unhosted wallet, hopped on chain and deposited at a foreign VASP. Victims
 * report minutes to days later. Returns the operation's items in no particular order.
 */
export const buildScamOperation = (f: SimItemFactory, request: OperationRequest): SimItem[] => {
  const { rng, ids } = f;
  const { operationId, startAt, victims, sizes } = request;
  const items: SimItem[] = [];
  const feed = (item: FeedItem): FeedItem => {
    items.push(item);
    return item;
  };
  const thBanks = SIM_BANKS.filter((b) => b.country === 'TH');
  const burst = request.shape === 'burst';
  const scale = request.timeScale ?? 'minutes';
  // One draw each whatever the scale, so the minutes scale repeats earlier runs byte for byte.
  const forwardDelay = (): number =>
    scale === 'days'
      ? rng.int(20 * 60, 3 * 24 * 60) * MINUTE
      : scale === 'hours'
        ? rng.int(60, 8 * 60) * MINUTE
        : rng.int(1, 20) * MINUTE;
  const sweepDelay = (): number =>
    scale === 'days'
      ? rng.int(24 * 60, 4 * 24 * 60) * MINUTE
      : scale === 'hours'
        ? rng.int(60, 10 * 60) * MINUTE
        : rng.int(5, 30) * MINUTE;
  const nextPaymentGap = (): number =>
    scale === 'days' ? rng.int(3 * 60, 36 * 60) * MINUTE : rng.int(3, 90) * MINUTE;
  const firstLayer = times(burst ? 1 : rng.int(...sizes.firstLayer), () =>
    ids.bankAccount(rng.pick(thBanks)),
  );
  const secondLayerSize = Math.min(rng.int(...sizes.secondLayer), firstLayer.length);
  const secondLayer = times(secondLayerSize, () => ids.bankAccount(rng.pick(thBanks)));
  const collector = ids.bankAccount(rng.pick(thBanks));
  if (victims.length < firstLayer.length || firstLayer.length < secondLayer.length) {
    throw new Error(`${operationId}: needs victims >= first-layer mules >= second-layer mules`);
  }

  // New accounts opened days before, a device shared by the mules, a phone shared by layer two and collector.
  const device = ids.identifier('dev');
  const phone = ids.identifier('phone');
  for (const account of [...firstLayer, ...secondLayer, collector]) {
    const openedAt = startAt - rng.int(60, 14 * 24 * 60) * MINUTE;
    feed(f.accountOpened(openedAt + rng.int(1, 30) * MINUTE, account, openedAt));
    if (account !== collector)
      feed(f.identifierSeen(openedAt + rng.int(31, 59) * MINUTE, account, 'device', device));
    if (!firstLayer.includes(account))
      feed(f.identifierSeen(openedAt + rng.int(31, 59) * MINUTE, account, 'phone', phone));
  }

  // Victims pay the first layer; the first payments cover every mule, later ones mix victims in one mule.
  const scamType = rng.pick(SCAM_TYPES_USED);
  const firstLayerInflows = new Map<SimBankAccount, Inflow[]>();
  const reports: { victim: SimBankAccount; payments: FeedItem[] }[] = [];
  victims.forEach((victim, i) => {
    const victimKeys = new Set([bankAccountKey(victim)]);
    let at = startAt + rng.int(0, burst ? 40 : 6 * 60) * MINUTE + rng.int(0, 59) * 1000;
    const payments: FeedItem[] = [];
    for (let k = rng.int(1, 3); k > 0; k -= 1) {
      const mule =
        payments.length === 0 ? (firstLayer[i % firstLayer.length] ?? collector) : rng.pick(firstLayer);
      const amount = rng.minor(100_000n, 20_000_000n);
      payments.push(
        feed(f.bankTransfer(at, victim, mule, amount, { operationId, victimKeys: [...victimKeys] })),
      );
      const list = firstLayerInflows.get(mule) ?? [];
      list.push({ at, amount, victimKeys });
      firstLayerInflows.set(mule, list);
      at += nextPaymentGap();
    }
    reports.push({ victim, payments });
  });

  // First layer: each credit forwarded within minutes, less a small cut the mule keeps.
  const secondLayerInflows = new Map<SimBankAccount, Inflow[]>();
  let forwarded = 0;
  for (const mule of firstLayer) {
    for (const inflow of firstLayerInflows.get(mule) ?? []) {
      const target =
        forwarded < secondLayer.length ? (secondLayer[forwarded] ?? collector) : rng.pick(secondLayer);
      forwarded += 1;
      const at = inflow.at + forwardDelay() + rng.int(0, 59) * 1000;
      const amount = inflow.amount - (inflow.amount * BigInt(rng.int(0, 10))) / 1000n;
      feed(f.bankTransfer(at, mule, target, amount, { operationId, victimKeys: [...inflow.victimKeys] }));
      const list = secondLayerInflows.get(target) ?? [];
      list.push({ at, amount, victimKeys: inflow.victimKeys });
      secondLayerInflows.set(target, list);
    }
  }

  // Second layer: one sweep to the collector after the last credit.
  let collected = 0n;
  let collectedAt = startAt;
  const collectedVictims = new Set<string>();
  for (const mule of secondLayer) {
    const inflows = secondLayerInflows.get(mule) ?? [];
    const total = inflows.reduce((sum, x) => sum + x.amount, 0n);
    const victimKeys = new Set(inflows.flatMap((x) => [...x.victimKeys]));
    const at = Math.max(...inflows.map((x) => x.at)) + sweepDelay();
    const amount = total - (total * BigInt(rng.int(0, 5))) / 1000n;
    feed(f.bankTransfer(at, mule, collector, amount, { operationId, victimKeys: [...victimKeys].sort() }));
    collected += amount;
    collectedAt = Math.max(collectedAt, at);
    for (const key of victimKeys) collectedVictims.add(key);
  }
  const allVictims = [...collectedVictims].sort();
  const tag: ProceedsTag = { operationId, victimKeys: allVictims };

  // Collector: fiat deposits at a Thai VASP, in chunks.
  const offRamp: CustomerAccount = {
    vasp: rng.pick(TH_VASPS),
    customerAccountId: ids.customerId('OFFR'),
    holderId: `N${rng.hex(12)}`,
  };
  let at = collectedAt + rng.int(10, 60) * MINUTE;
  for (let left = collected; left > 0n;) {
    const chunk = left > MAX_DEPOSIT_MINOR ? MAX_DEPOSIT_MINOR - rng.minor(0n, 1_000_000n) : left;
    feed(f.fiatDeposit(at, collector, offRamp, chunk, tag));
    left -= chunk;
    at += rng.int(2, 10) * MINUTE;
  }

  // Off-ramp: USDT bought at the desk rate (less a 1 USDT fee) and withdrawn to an unhosted wallet.
  const chain: SimChain = rng.chance(0.7) ? 'tron' : 'ethereum';
  const usdt = (collected * USDT_MINOR_PER_UNIT) / THB_MINOR_PER_USDT - USDT_MINOR_PER_UNIT;
  const hops = times(rng.int(1, 2), () => ids.address(chain));
  let from = hops[0] ?? ids.address(chain);
  at += rng.int(5, 60) * MINUTE;
  feed(f.usdtWithdrawal(at, offRamp, chain, from, usdt, ids.txHash(chain), tag));

  // On-chain hops, then the foreign VASP deposit address and its customer.
  const foreign: CustomerAccount = {
    vasp: rng.pick(FOREIGN_VASPS),
    customerAccountId: ids.customerId('FRGN'),
    holderId: `N${rng.hex(12)}`,
  };
  const depositAddress = ids.address(chain);
  for (const next of [...hops.slice(1), depositAddress]) {
    at += rng.int(2, 40) * MINUTE;
    const txHash = ids.txHash(chain);
    const toVasp =
      next === depositAddress
        ? { vasp: foreign.vasp, customerAccountId: foreign.customerAccountId }
        : undefined;
    feed(f.onChain(at, chain, from, next, usdt, txHash, toVasp, tag));
    if (next === depositAddress) {
      feed(f.usdtDeposit(at + rng.int(1, 5) * MINUTE, foreign, chain, depositAddress, usdt, txHash, tag));
    }
    from = next;
  }

  // Victim reports, minutes to days after the last payment; some victims never report.
  for (const { victim, payments } of reports) {
    if (!rng.chance(request.reportShare ?? 0.85)) continue;
    const lastPaid = Math.max(...payments.map((p) => p.at));
    items.push(
      f.victimReport(lastPaid + rng.int(10, 3 * 24 * 60) * MINUTE, {
        caseId: ids.caseId(),
        version: 1,
        reportingChannel: rng.pick(REPORTING_CHANNELS),
        scamType,
        victimId: victim.holderId,
        victimAccounts: [
          { accountId: victim.accountId, institutionId: victim.bankId, country: victim.country },
        ],
        reportedTransfers: payments.flatMap((p) =>
          p.topic === TOPICS.bankTransferReceived
            ? [
                {
                  reference: { reportedBy: p.value.reportedBy, transferId: p.value.transferId },
                  amount: p.value.amount,
                  paidAt: p.value.bookedAt,
                },
              ]
            : [],
        ),
      }),
    );
  }

  // Ground truth: roles, and for bank accounts the proceeds they received and sent on.
  const inflow = new Map<string, bigint>();
  const outflow = new Map<string, bigint>();
  for (const item of items) {
    if (item.kind !== 'feed' || item.truth === undefined) continue;
    const { fromKey, toKey, amountMinor } = item.truth;
    outflow.set(fromKey, (outflow.get(fromKey) ?? 0n) + BigInt(amountMinor));
    inflow.set(toKey, (inflow.get(toKey) ?? 0n) + BigInt(amountMinor));
  }
  const earliest = Math.min(...items.map((x) => x.at));
  const label = (accountKey: string, role: AccountRole, extra: Partial<AccountTruth> = {}): void => {
    items.push(
      f.truth(earliest, { record: 'account', accountKey, role, operationId, timeScale: scale, ...extra }),
    );
  };
  const bankLabel = (account: SimBankAccount, role: AccountRole, layer?: number): void => {
    const key = bankAccountKey(account);
    label(key, role, {
      ...(layer !== undefined ? { layer } : {}),
      proceeds: {
        currency: account.currency,
        scale: account.scale,
        inMinor: (inflow.get(key) ?? 0n).toString(),
        outMinor: (outflow.get(key) ?? 0n).toString(),
      },
    });
  };
  for (const victim of victims) bankLabel(victim, 'victim');
  for (const mule of firstLayer) bankLabel(mule, 'mule', 1);
  for (const mule of secondLayer) bankLabel(mule, 'mule', 2);
  bankLabel(collector, 'collector');
  label(customerKey(offRamp), 'off-ramp');
  for (const address of hops) label(walletKey(chain, address), 'hop-wallet');
  label(walletKey(chain, depositAddress), 'foreign-beneficiary');
  label(customerKey(foreign), 'foreign-beneficiary');
  return items;
};
