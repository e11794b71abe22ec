import type { ProceedsAccount, ProceedsSubgraph, ProceedsTransfer } from '@scamflow/graph';

/** Small builders for hand-made case subgraphs in unit tests. */
export const T0 = Date.parse('2026-11-23T02:00:00Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export const bank = (id: string, institutionId = 'BANKTH', country = 'TH'): ProceedsAccount => ({
  accountKey: `${institutionId}:${id}`,
  accountId: id,
  institutionId,
  country,
  kind: 'bank-account',
});
export const vaspAccount = (id: string, institutionId: string, country: string): ProceedsAccount => ({
  accountKey: `${institutionId}:${id}`,
  accountId: id,
  institutionId,
  country,
  kind: 'vasp-account',
});
export const wallet = (address: string, institutionId = 'unhosted', country = 'ZZ'): ProceedsAccount => ({
  accountKey: `tron:${address}`,
  accountId: address,
  institutionId,
  country,
  kind: 'wallet',
});

export const transfer = (
  transferId: string,
  from: ProceedsAccount,
  to: ProceedsAccount,
  minutes: number,
  amountMinor: string,
  more: Partial<ProceedsTransfer> = {},
): ProceedsTransfer => ({
  transferId,
  fromKey: from.accountKey,
  toKey: to.accountKey,
  rail: 'bank',
  bookedAt: at(minutes),
  amountMinor,
  currency: 'THB',
  scale: 2,
  ...more,
});

export const subgraphOf = (input: {
  caseId: string;
  victims: ProceedsAccount[];
  accounts: ProceedsAccount[];
  transfers: ProceedsTransfer[];
  seeds: string[];
  terminalHubs?: string[];
  reportedAtMinutes?: number;
}): ProceedsSubgraph => ({
  case: {
    caseId: input.caseId,
    version: 1,
    reportedAt: at(input.reportedAtMinutes ?? 60),
    victims: input.victims,
    reportedTransfers: input.seeds.map((transferId) => ({ transferId })),
  },
  seeds: input.seeds.map((transferId) => ({ transferId, matchedBy: 'reference' as const })),
  unmatchedPayments: [],
  transfers: input.transfers,
  accounts: new Map([...input.victims, ...input.accounts].map((a) => [a.accountKey, a])),
  terminalHubs: new Map((input.terminalHubs ?? []).map((k) => [k, 201])),
  truncated: false,
});
