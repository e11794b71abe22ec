import type { AccountRole } from '@scamflow/contracts';
import type { ProceedsAccount } from '@scamflow/graph';
import { UNHOSTED } from './cross-border';

/** A transfer that carried some of the case's traced money (under any splitting rule). */
export interface TracedMove {
  readonly fromKey: string;
  readonly toKey: string;
}

/**
 * The part each account plays in one case's traced flow, inferred from how the traced money moved:
 * victim (reported), off-ramp (VASP customer account or deposit address), hop-wallet (unhosted wallet),
 * collector (traced money from two or more traced senders), mule (bank account passing traced money on),
 * beneficiary (foreign holder where the traced money stops), else counterparty.
 */
export const inferRoles = (input: {
  readonly victimKeys: ReadonlySet<string>;
  readonly accounts: ReadonlyMap<string, ProceedsAccount>;
  readonly moves: readonly TracedMove[];
  readonly victimCountries: ReadonlySet<string>;
}): Map<string, AccountRole> => {
  const senders = new Map<string, Set<string>>();
  const passesOn = new Set<string>();
  const involved = new Set<string>();
  for (const move of input.moves) {
    involved.add(move.fromKey).add(move.toKey);
    if (move.fromKey === move.toKey) continue;
    passesOn.add(move.fromKey);
    const from = senders.get(move.toKey) ?? new Set<string>();
    from.add(move.fromKey);
    senders.set(move.toKey, from);
  }
  const roles = new Map<string, AccountRole>();
  for (const key of input.victimKeys) roles.set(key, 'victim');
  for (const key of involved) {
    if (roles.has(key)) continue;
    const account = input.accounts.get(key);
    if (!account) continue;
    const role: AccountRole =
      account.kind === 'vasp-account' || (account.kind === 'wallet' && account.institutionId !== UNHOSTED)
        ? 'off-ramp'
        : account.kind === 'wallet'
          ? 'hop-wallet'
          : (senders.get(key)?.size ?? 0) >= 2
            ? 'collector'
            : passesOn.has(key)
              ? 'mule'
              : account.country !== 'ZZ' && !input.victimCountries.has(account.country)
                ? 'beneficiary'
                : 'counterparty';
    roles.set(key, role);
  }
  return roles;
};
