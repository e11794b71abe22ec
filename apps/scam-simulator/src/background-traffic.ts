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
  addressOn,
  convertFromThb,
  txHashOn,
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
const TRAFFIC_KINDS = Object.keys(TRAFFIC_WEIGHTS) as TrafficKind[];

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
    const weights = TRAFFIC_KINDS.map((k) => TRAFFIC_WEIGHTS[k]);
    for (let n = 0; n < budget; n += 1) {
      const kind = TRAFFIC_KINDS[rng.weighted(weights)] ?? 'p2p';
      items.push(...this.one(kind, daytime()));
    }
    return items;
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
          this.f.usdtWithdrawal(at, customer, chain, addressOn(rng, chain), amount, txHashOn(rng, chain)),
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
