import type { ProceedsAccount, ProceedsTransfer } from '@scamflow/graph';

/** Institution and country of an address nobody has attributed (as ingest writes them). */
export const UNHOSTED = 'unhosted';
export const UNKNOWN_COUNTRY = 'ZZ';

const isVasp = (a: ProceedsAccount): boolean =>
  a.kind === 'vasp-account' || (a.kind === 'wallet' && a.institutionId !== UNHOSTED);

const isForeign = (a: ProceedsAccount, victimCountries: ReadonlySet<string>): boolean =>
  a.country !== UNKNOWN_COUNTRY && !victimCountries.has(a.country);

/**
 * Why traced money at this account matters across borders (DOMAIN.md, "Cross-border proceeds"); empty when
 * it does not. Codes are `<reason>:<where>`, e.g. `foreign-jurisdiction:KH`.
 * - another jurisdiction than the victim's;
 * - a VASP deposit address or VASP customer account: the fiat-to-crypto off-ramp;
 * - an unhosted wallet that sends on to a foreign VASP (address attributed to it, or its customer account).
 */
export const crossBorderReasonsOf = (
  account: ProceedsAccount,
  context: {
    readonly victimCountries: ReadonlySet<string>;
    readonly accounts: ReadonlyMap<string, ProceedsAccount>;
    readonly transfers: Iterable<Pick<ProceedsTransfer, 'fromKey' | 'toKey'>>;
  },
): string[] => {
  const reasons: string[] = [];
  if (isForeign(account, context.victimCountries)) reasons.push(`foreign-jurisdiction:${account.country}`);
  if (account.kind === 'wallet' && account.institutionId !== UNHOSTED) {
    reasons.push(`vasp-deposit-address:${account.institutionId}`);
  }
  if (account.kind === 'vasp-account') reasons.push(`vasp-customer-account:${account.institutionId}`);
  if (account.kind === 'wallet' && account.institutionId === UNHOSTED) {
    const foreignVasps = new Set<string>();
    for (const t of context.transfers) {
      if (t.fromKey !== account.accountKey) continue;
      const receiver = context.accounts.get(t.toKey);
      if (receiver && isVasp(receiver) && isForeign(receiver, context.victimCountries)) {
        foreignVasps.add(receiver.institutionId);
      }
    }
    for (const vasp of [...foreignVasps].sort()) reasons.push(`unhosted-to-foreign-vasp:${vasp}`);
  }
  return reasons;
};
