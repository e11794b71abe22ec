import type { AccountType } from '@scamflow/contracts';
import {
  bankAccountKey,
  customerKey,
  type CustomerAccount,
  type SimItem,
  type SimItemFactory,
} from './sim-item';
import {
  SIM_BANKS,
  TH_VASPS,
  USDT_MINOR_PER_UNIT,
  convertFromThb,
  type SimBank,
  type SimBankAccount,
  type SimCountry,
} from './sim-world';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Share of the daily background budget per kind of traffic (salaries come on top, on pay day). */
const TRAFFIC_WEIGHTS = { p2p: 35, merchant: 35, bill: 10, remittance: 8, exchange: 12 } as const;
type TrafficKind = keyof typeof TRAFFIC_WEIGHTS;
/**
 * With look-alikes (the realistic scenario), ordinary people also move money in the detectors' shapes: a friend
 * collects for a dinner or a trip and pays the venue within the hour (fan-in pass-through, gather-scatter), a
 * parent tops a child up two or three times a day (a split payment), a loan is repaid days later (a two-hop
 * round trip).
 */
const LOOK_ALIKE_WEIGHTS = { ...TRAFFIC_WEIGHTS, collection: 8, family: 8, repayment: 8 } as const;
type LookAlikeKind = keyof typeof LOOK_ALIKE_WEIGHTS;
const TRAFFIC_KINDS = Object.keys(TRAFFIC_WEIGHTS) as TrafficKind[];
const LOOK_ALIKE_KINDS = Object.keys(LOOK_ALIKE_WEIGHTS) as LookAlikeKind[];

const DAY = 24 * HOUR;
/** Legitimate accounts opened days before the run: as new as a mule's, so newness alone proves nothing. */
const NEW_ACCOUNT_SHARE = 0.04;
/** Chance that a person starts a household of 2-4 accounts sharing one phone. */
const HOUSEHOLD_SHARE = 0.03;

const REMITTANCE_COUNTRIES: readonly SimCountry[] = ['KH', 'MM', 'LA'];

/**
 * The legitimate population and its daily traffic: salaries (one payroll account to many employees, monthly),
 * merchants (many payers, nothing forwarded), bills, P2P, a remittance company hub and exchange users.
 */
export class BackgroundWorld {
  readonly persons: readonly SimBankAccount[];
  readonly thaiPersons: readonly SimBankAccount[];
  private readonly byCountry: ReadonlyMap<SimCountry, readonly SimBankAccount[]>;
  readonly merchants: readonly SimBankAccount[];
  readonly billers: readonly SimBankAccount[];
  readonly payrolls: readonly { account: SimBankAccount; employees: readonly SimBankAccount[] }[];
  readonly remitterTh: SimBankAccount;
  readonly remitterPayout: ReadonlyMap<SimCountry, SimBankAccount>;
  private readonly exchangeCustomers = new Map<SimBankAccount, CustomerAccount>();

  constructor(
    private readonly f: SimItemFactory,
    personCount: number,
    private readonly options: { readonly lookAlikes: boolean } = { lookAlikes: false },
  ) {
    const { rng, ids } = f;
    const banksOf = (country: SimCountry): SimBank[] => SIM_BANKS.filter((b) => b.country === country);
    const thBanks = banksOf('TH');
    const open = (country: SimCountry): SimBankAccount => ids.bankAccount(rng.pick(banksOf(country)));
    this.persons = Array.from({ length: personCount }, () => {
      const bank = rng.chance(0.75) ? rng.pick(thBanks) : rng.pick(SIM_BANKS);
      return ids.bankAccount(bank);
    });
    const byCountry = new Map<SimCountry, SimBankAccount[]>();
    for (const p of this.persons) byCountry.set(p.country, [...(byCountry.get(p.country) ?? []), p]);
    this.byCountry = byCountry;
    this.thaiPersons = byCountry.get('TH') ?? [];
    this.merchants = Array.from({ length: Math.max(5, Math.floor(personCount / 100)) }, () => open('TH'));
    this.billers = Array.from({ length: 4 }, () => open('TH'));
    const payrollCount = Math.max(2, Math.floor(personCount / 500));
    this.payrolls = Array.from({ length: payrollCount }, (_, i) => ({
      account: open('TH'),
      employees: this.thaiPersons.filter((_, j) => j % (payrollCount * 3) === i),
    }));
    this.remitterTh = open('TH');
    this.remitterPayout = new Map(REMITTANCE_COUNTRIES.map((c) => [c, open(c)]));
  }

  /** Hubs that look like mules to a naive rule: payroll, merchants, billers, the remittance company. */
  hubKeys(): string[] {
    return [
      ...this.payrolls.map((p) => bankAccountKey(p.account)),
      ...this.merchants.map(bankAccountKey),
      ...this.billers.map(bankAccountKey),
      bankAccountKey(this.remitterTh),
      ...[...this.remitterPayout.values()].map(bankAccountKey),
    ];
  }

  /**
   * What the banks know of the legitimate accounts, observed before the run: mostly accounts opened years
   * ago, a few opened days before (students, new jobs), one device and one phone each, and households whose
   * members, often at different banks, share one phone. Mule signals must stand out against this, not
   * against silence.
   */
  accountFacts(runStart: number): SimItem[] {
    const { rng } = this.f;
    const items: SimItem[] = [];
    const snapshotAt = runStart - DAY;
    const identifier = (kind: 'dev' | 'phone'): string => this.f.ids.identifier(kind);
    let householdPhone: string | undefined;
    let householdLeft = 0;
    for (const person of this.persons) {
      const isNew = rng.chance(NEW_ACCOUNT_SHARE);
      const openedAt = isNew
        ? runStart - rng.int(1, 20) * DAY - rng.int(0, 23 * 60) * MINUTE
        : runStart - rng.int(365, 15 * 365) * DAY;
      const seenAt = isNew ? openedAt + rng.int(1, 30) * MINUTE : snapshotAt;
      items.push(this.f.accountOpened(seenAt, person, openedAt));
      items.push(
        this.f.identifierSeen(seenAt + rng.int(1, 59) * MINUTE, person, 'device', identifier('dev')),
      );
      if (householdLeft === 0 && rng.chance(HOUSEHOLD_SHARE)) {
        householdPhone = identifier('phone');
        householdLeft = rng.int(2, 4);
      }
      const phone = householdLeft > 0 ? householdPhone : undefined;
      householdLeft = Math.max(0, householdLeft - 1);
      items.push(
        this.f.identifierSeen(
          seenAt + rng.int(1, 59) * MINUTE,
          person,
          'phone',
          phone ?? identifier('phone'),
        ),
      );
    }
    const hubs: [SimBankAccount, AccountType][] = [
      ...this.payrolls.map((p): [SimBankAccount, AccountType] => [p.account, 'payroll']),
      ...this.merchants.map((m): [SimBankAccount, AccountType] => [m, 'merchant']),
      ...this.billers.map((b): [SimBankAccount, AccountType] => [b, 'business']),
      [this.remitterTh, 'remittance'],
      ...[...this.remitterPayout.values()].map((r): [SimBankAccount, AccountType] => [r, 'remittance']),
    ];
    for (const [account, type] of hubs) {
      items.push(this.f.accountOpened(snapshotAt, account, runStart - rng.int(365, 20 * 365) * DAY, type));
    }
    return items;
  }

  exchangeCustomerKeys(): string[] {
    return [...this.exchangeCustomers.values()].map(customerKey);
  }

  /** Background items of one day; `budget` transfers plus the salary run when `payDay`. */
  day(dayStart: number, budget: number, payDay: boolean): SimItem[] {
    const { rng } = this.f;
    const items: SimItem[] = [];
    const daytime = (): number => dayStart + rng.int(6 * 60, 23 * 60) * MINUTE + rng.int(0, 59) * SECOND;
    if (payDay) {
      for (const { account, employees } of this.payrolls) {
        employees.forEach((employee, i) => {
          const at = dayStart + 9 * HOUR + i * SECOND;
          items.push(this.f.bankTransfer(at, account, employee, rng.minor(1_500_000n, 8_000_000n)));
        });
      }
    }
    const kinds: readonly LookAlikeKind[] = this.options.lookAlikes ? LOOK_ALIKE_KINDS : TRAFFIC_KINDS;
    const weights = kinds.map((k) => LOOK_ALIKE_WEIGHTS[k]);
    for (let n = 0; n < budget; n += 1) {
      const kind = kinds[rng.weighted(weights)] ?? 'p2p';
      const at = daytime();
      items.push(
        ...(kind === 'collection' || kind === 'family' || kind === 'repayment'
          ? this.lookAlike(kind, at)
          : this.one(kind, at)),
      );
    }
    return items;
  }

  /** Legitimate traffic shaped like mule typologies (only with `lookAlikes`). */
  private lookAlike(kind: 'collection' | 'family' | 'repayment', at: number): SimItem[] {
    const { rng } = this.f;
    const person = rng.pick(this.thaiPersons);
    switch (kind) {
      case 'collection': {
        // 5-12 friends pay the organiser within the hour; the organiser pays the venue 90-100 % of it soon after.
        const friends = Array.from({ length: rng.int(5, 12) }, () => rng.pick(this.thaiPersons)).filter(
          (friend) => friend !== person,
        );
        let total = 0n;
        const items = friends.map((friend, i) => {
          const amount = rng.minor(30_000n, 200_000n);
          total += amount;
          return this.f.bankTransfer(at + i * rng.int(1, 6) * MINUTE, friend, person, amount);
        });
        if (total === 0n) return items;
        const paid = total - (total * BigInt(rng.int(0, 10))) / 100n;
        items.push(
          this.f.bankTransfer(at + rng.int(70, 150) * MINUTE, person, rng.pick(this.merchants), paid),
        );
        return items;
      }
      case 'family': {
        // A parent tops up a child two or three times on one day.
        const child = rng.pick(this.thaiPersons);
        if (child === person) return [];
        return Array.from({ length: rng.int(2, 3) }, (_, i) =>
          this.f.bankTransfer(
            at + i * rng.int(20, 180) * MINUTE,
            person,
            child,
            rng.minor(50_000n, 500_000n),
          ),
        );
      }
      case 'repayment': {
        // A friend lends money and is repaid in full one to five days later.
        const friend = rng.pick(this.thaiPersons);
        if (friend === person) return [];
        const amount = rng.minor(100_000n, 2_000_000n);
        return [
          this.f.bankTransfer(at, person, friend, amount),
          this.f.bankTransfer(at + rng.int(1, 5) * DAY + rng.int(0, 600) * MINUTE, friend, person, amount),
        ];
      }
    }
  }

  private one(kind: TrafficKind, at: number): SimItem[] {
    const { rng } = this.f;
    switch (kind) {
      case 'p2p': {
        const from = rng.pick(this.persons);
        const peers = this.byCountry.get(from.country) ?? [];
        const to = rng.pick(peers);
        if (to === from) return [];
        return [
          this.f.bankTransfer(at, from, to, convertFromThb(rng.minor(10_000n, 2_000_000n), from.country)),
        ];
      }
      case 'merchant':
        return [
          this.f.bankTransfer(
            at,
            rng.pick(this.thaiPersons),
            rng.pick(this.merchants),
            rng.minor(5_000n, 300_000n),
          ),
        ];
      case 'bill':
        return [
          this.f.bankTransfer(
            at,
            rng.pick(this.thaiPersons),
            rng.pick(this.billers),
            rng.minor(20_000n, 300_000n),
          ),
        ];
      case 'remittance': {
        const country = rng.pick(REMITTANCE_COUNTRIES);
        const payout = this.remitterPayout.get(country);
        const recipients = this.byCountry.get(country) ?? [];
        const amount = rng.minor(100_000n, 3_000_000n);
        const incoming = this.f.bankTransfer(at, rng.pick(this.thaiPersons), this.remitterTh, amount);
        if (payout === undefined || recipients.length === 0) return [incoming];
        const fee = amount / 50n;
        const paidOut = this.f.bankTransfer(
          at + rng.int(1, 3) * HOUR,
          payout,
          rng.pick(recipients),
          convertFromThb(amount - fee, country),
        );
        return [incoming, paidOut];
      }
      case 'exchange': {
        const person = rng.pick(this.thaiPersons);
        const customer = this.customerOf(person);
        const roll = rng.next();
        if (roll < 0.5) return [this.f.fiatDeposit(at, person, customer, rng.minor(100_000n, 5_000_000n))];
        if (roll < 0.8) return [this.f.fiatWithdrawal(at, customer, person, rng.minor(100_000n, 3_000_000n))];
        // A legitimate user moving USDT to their own wallet: same shape as the off-ramp step of a scam.
        const chain = rng.chance(0.7) ? 'tron' : 'ethereum';
        const amount = rng.minor(10n, 2_000n) * USDT_MINOR_PER_UNIT;
        return [
          this.f.usdtWithdrawal(
            at,
            customer,
            chain,
            this.f.ids.address(chain),
            amount,
            this.f.ids.txHash(chain),
          ),
        ];
      }
    }
  }

  private customerOf(person: SimBankAccount): CustomerAccount {
    const existing = this.exchangeCustomers.get(person);
    if (existing) return existing;
    const vasp = this.f.rng.pick(TH_VASPS);
    const customer = {
      vasp,
      customerAccountId: this.f.ids.customerId(vasp.vaspId),
      holderId: person.holderId,
    };
    this.exchangeCustomers.set(person, customer);
    return customer;
  }
}
