import type { AlertRaised, InvolvedAccount, TracedHop } from '@scamflow/contracts';
import type { CaseFiling } from './case-filing';
import type { FilingContext } from './goaml-alert';
import type { GoamlProfile } from './goaml-profile.schema';

/** Hand-made case: a victim's 15,000 THB through two mules and a collector to a Thai VASP, out as USDT to Cambodia. */
export const CASE_ID = 'CASE-T-1';

const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
const usdt = (amountMinor: string) => ({ amountMinor, currency: 'USDT', scale: 6 });

export const ACCOUNTS = {
  victim: {
    accountKey: 'KASITHBK:111',
    accountId: '111',
    institutionId: 'KASITHBK',
    country: 'TH',
    kind: 'bank-account',
    role: 'victim',
  },
  mule: {
    accountKey: 'SCBLTHBX:222',
    accountId: '222',
    institutionId: 'SCBLTHBX',
    country: 'TH',
    kind: 'bank-account',
    role: 'mule',
  },
  mule2: {
    accountKey: 'SCBLTHBX:555',
    accountId: '555',
    institutionId: 'SCBLTHBX',
    country: 'TH',
    kind: 'bank-account',
    role: 'mule',
  },
  collector: {
    accountKey: 'BKKBTHBK:333',
    accountId: '333',
    institutionId: 'BKKBTHBK',
    country: 'TH',
    kind: 'bank-account',
    role: 'collector',
  },
  vasp: {
    accountKey: 'VASP-TH-CHAOX:444',
    accountId: '444',
    institutionId: 'VASP-TH-CHAOX',
    country: 'TH',
    kind: 'vasp-account',
    role: 'off-ramp',
  },
  wallet: {
    accountKey: 'tron:TXyz',
    accountId: 'TXyz',
    institutionId: 'VASP-KH-ANGKORVX',
    country: 'KH',
    kind: 'wallet',
    role: 'off-ramp',
  },
  stranger: {
    accountKey: 'KRTHTHBK:999',
    accountId: '999',
    institutionId: 'KRTHTHBK',
    country: 'TH',
    kind: 'bank-account',
    role: 'counterparty',
  },
} satisfies Record<string, InvolvedAccount>;

const hop = (
  transferId: string,
  from: InvolvedAccount,
  to: InvolvedAccount,
  bookedAt: string,
  amount: { amountMinor: string; currency: string; scale: number },
  fifo: string | null,
): TracedHop => ({
  transferId,
  fromKey: from.accountKey,
  toKey: to.accountKey,
  bookedAt,
  amount,
  tainted: fifo === null ? [] : [{ rule: 'fifo', caseId: CASE_ID, amount: { ...amount, amountMinor: fifo } }],
});

export const LEDGER: TracedHop[] = [
  hop(
    'bank:KASITHBK:T1',
    ACCOUNTS.victim,
    ACCOUNTS.mule,
    '2026-11-20T10:00:00.000Z',
    thb('1500000'),
    '1500000',
  ),
  hop(
    'bank:SCBLTHBX:T3',
    ACCOUNTS.mule,
    ACCOUNTS.collector,
    '2026-11-20T10:05:00.000Z',
    thb('1485000'),
    '1485000',
  ),
  hop('bank:SCBLTHBX:T2', ACCOUNTS.mule, ACCOUNTS.mule2, '2026-11-20T10:06:00.000Z', thb('5000'), '5000'),
  hop(
    'bank:KRTHTHBK:T6',
    ACCOUNTS.stranger,
    ACCOUNTS.collector,
    '2026-11-20T10:07:00.000Z',
    thb('10000'),
    null,
  ),
  hop(
    'bank:BKKBTHBK:T4',
    ACCOUNTS.collector,
    ACCOUNTS.vasp,
    '2026-11-20T10:10:00.000Z',
    thb('1480000'),
    '1480000',
  ),
  hop(
    'onchain:tron:T5',
    ACCOUNTS.vasp,
    ACCOUNTS.wallet,
    '2026-11-20T10:30:00.000Z',
    usdt('400123456'),
    '400123456',
  ),
];

export const PROCEEDS_ALERT: AlertRaised = {
  schemaVersion: 1,
  alertId: 'ALERT-P-1',
  version: 3,
  typology: 'proceeds.cross-border',
  subject: ACCOUNTS.victim,
  involved: Object.values(ACCOUNTS).filter((a) => a.role !== 'counterparty'),
  score: 0.9,
  severity: 'critical',
  summary: 'Victim money of CASE-T-1 reached a Cambodian VASP as USDT <within 30 min>.',
  facts: [],
  evidence: { inboundTransferIds: [], outboundTransferIds: [], counterparties: [], edges: [] },
  tracing: {
    preferredRule: 'fifo',
    victims: [
      {
        caseId: CASE_ID,
        caseVersion: 1,
        victimAccountKeys: [ACCOUNTS.victim.accountKey],
        reportedAt: '2026-11-20T12:00:00.000Z',
        seeded: thb('1500000'),
      },
    ],
    holders: [
      {
        account: ACCOUNTS.wallet,
        amounts: [
          { rule: 'fifo', caseId: CASE_ID, amount: usdt('400123456') },
          { rule: 'haircut', caseId: CASE_ID, amount: usdt('390000000') },
          { rule: 'poison', amount: usdt('400123456') },
        ],
        crossBorderReasons: ['foreign-jurisdiction:KH'],
        librApplied: false,
      },
      {
        account: ACCOUNTS.mule,
        amounts: [
          { rule: 'fifo', caseId: CASE_ID, amount: thb('10000') },
          { rule: 'haircut', caseId: CASE_ID, amount: thb('10000') },
        ],
        crossBorderReasons: [],
        librApplied: false,
      },
      {
        account: ACCOUNTS.mule2,
        amounts: [
          { rule: 'fifo', caseId: CASE_ID, amount: thb('5000') },
          { rule: 'haircut', caseId: CASE_ID, amount: thb('0') },
        ],
        crossBorderReasons: [],
        librApplied: false,
      },
      {
        account: ACCOUNTS.collector,
        amounts: [
          { rule: 'fifo', caseId: CASE_ID, amount: thb('0') },
          { rule: 'poison', amount: thb('5000') },
        ],
        crossBorderReasons: [],
        librApplied: false,
      },
    ],
    ledger: LEDGER,
    untraceable: [],
  },
  trigger: { caseId: CASE_ID },
  jurisdictions: ['TH', 'KH'],
  institutions: ['KASITHBK', 'SCBLTHBX', 'BKKBTHBK', 'VASP-TH-CHAOX', 'VASP-KH-ANGKORVX'],
  firstSeenAt: '2026-11-20T10:00:00.000Z',
  lastSeenAt: '2026-11-20T10:30:00.000Z',
  raisedAt: '2026-11-20T12:01:00.000Z',
  status: 'open',
  recommendedActions: [
    {
      kind: 'freeze-request',
      institutionId: 'VASP-KH-ANGKORVX',
      accountKey: ACCOUNTS.wallet.accountKey,
      amount: usdt('400123456'),
      rule: 'fifo',
      rationale: 'Freeze 400.123456 USDT (fifo rule) at VASP-KH-ANGKORVX.',
    },
  ],
};

export const MULE_ALERT: AlertRaised = {
  ...PROCEEDS_ALERT,
  alertId: 'ALERT-M-1',
  version: 1,
  typology: 'mule.fan-in-pass-through',
  subject: ACCOUNTS.mule,
  involved: [ACCOUNTS.mule, ACCOUNTS.mule2, ACCOUNTS.victim],
  score: 1,
  summary: 'SCBLTHBX:222 passed on 99 % of what 5 senders paid in within 30 min.',
  facts: [
    {
      name: 'senders',
      description: 'distinct senders within 60 min',
      value: '5',
      threshold: '>= 3',
      fired: true,
    },
    { name: 'age', description: 'days since opening', value: '400', threshold: '<= 30', fired: false },
  ],
  tracing: undefined,
  recommendedActions: [],
};

export const CASE_FILING: CaseFiling = {
  caseId: CASE_ID,
  report: {
    caseId: CASE_ID,
    version: 1,
    channel: 'hotline-1441',
    scamType: 'call-centre-impersonation',
    reportedAt: '2026-11-20T12:00:00.000Z',
    victimAccountKeys: [ACCOUNTS.victim.accountKey],
    reportedTransfers: [{ transferId: 'bank:KASITHBK:T1', paidAt: '2026-11-20T17:00:00+07:00' }],
  },
  alert: PROCEEDS_ALERT,
  tracing: PROCEEDS_ALERT.tracing ?? null,
  jurisdictions: ['KH', 'TH'],
};

export const CONTEXT: FilingContext = {
  submittedAt: '2026-11-20T13:00:00.000Z',
  accounts: [],
  transfers: new Map([['onchain:tron:T5', { rail: 'onchain', txHash: 'ab12cd34ef56ab12cd34' }]]),
};

export const PROFILE: GoamlProfile = {
  name: 'TEST-FIU',
  rentityId: 42,
  submissionCode: 'E',
  reportCodes: { transactions: 'STR', activity: 'SAR' },
  currencyCodeLocal: 'THB',
  reportingUserCode: 'USER1',
  location: { addressType: 'B', address: '1 Main Road', city: 'Bangkok', countryCode: 'TH' },
  transactionLocation: 'online',
  fundsCodes: { bank: 'K', 'vasp-ledger': 'V', onchain: 'VC' },
  transmodeCodes: { bank: 'ET', 'vasp-ledger': 'VL', onchain: 'VA' },
  accountTypes: { 'bank-account': '1', 'vasp-account': 'V', wallet: 'W' },
  accountStatusCode: 'A',
  indicators: { 'proceeds.cross-border': ['SCAM', 'XB'], default: ['MULE'] },
  exchangeRates: { USDT: '35.00' },
  virtualAssets: {
    currencyCodes: ['USDT'],
    otherAssetCurrencyCode: 'XXX',
    selfHostedInstitutionName: 'self-hosted wallet',
  },
  institutionNames: { SCBLTHBX: 'Siam Commercial Bank' },
};
