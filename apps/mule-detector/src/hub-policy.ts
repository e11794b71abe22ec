import type { AccountRef, AlertFact } from '@scamflow/contracts';

/**
 * Legitimate hubs (remittance companies, exchanges' omnibus accounts, merchants, payroll) move money in the
 * very shapes the mule detectors look for; this says which accounts are never alerted and which need more.
 */
export interface HubPolicy {
  /** Account keys never alerted by the mule detectors. */
  readonly allowListedAccountKeys: ReadonlySet<string>;
  /** Institutions (e.g. a licensed remittance company) whose accounts are never alerted. */
  readonly allowListedInstitutionIds: ReadonlySet<string>;
  /** Account types (from account-opened facts) that are not evaluated at all. */
  readonly skippedAccountTypes: ReadonlySet<string>;
  /** Account types evaluated with every count threshold multiplied by `evidenceMultiplier`. */
  readonly strongerEvidenceAccountTypes: ReadonlySet<string>;
  readonly evidenceMultiplier: number;
  /**
   * The side an account type exists to have many counterparties on (KYC's declared purpose): a merchant or a
   * business is paid by many customers, a payroll account pays many staff. On that side the fan detectors count
   * only a payment split up by one counterparty, not many distinct ones; moving the money straight on (the
   * pass-through, gather-scatter and structuring rules) is judged as for any account.
   */
  readonly declaredSides: ReadonlyMap<string, 'in' | 'out'>;
  /**
   * Account types a payment to is spending (a purchase at a merchant's acquiring account), not money sent on:
   * the fan-in pass-through rule does not count such outflows as forwarded. Business accounts are not in it by
   * default: a company account is where layered money is parked as often as where goods are bought.
   */
  readonly spendingAccountTypes: ReadonlySet<string>;
}

export const DEFAULT_HUB_POLICY: HubPolicy = {
  allowListedAccountKeys: new Set(),
  allowListedInstitutionIds: new Set(),
  skippedAccountTypes: new Set(['remittance', 'exchange']),
  strongerEvidenceAccountTypes: new Set(['merchant', 'payroll']),
  evidenceMultiplier: 3,
  declaredSides: new Map([
    ['merchant', 'in'],
    ['business', 'in'],
    ['payroll', 'out'],
  ]),
  spendingAccountTypes: new Set(['merchant']),
};

/** The fan side an account's declared purpose covers, with the type that declares it. */
export interface DeclaredSide {
  readonly side: 'in' | 'out';
  readonly accountType: string;
}

export type HubTreatment =
  | { readonly kind: 'allow-listed' }
  | { readonly kind: 'skipped' }
  | {
      readonly kind: 'ordinary';
      readonly multiplier: 1;
      readonly facts: readonly AlertFact[];
      readonly declared?: DeclaredSide;
    }
  | {
      readonly kind: 'stronger-evidence';
      readonly multiplier: number;
      readonly facts: readonly AlertFact[];
      readonly declared?: DeclaredSide;
    };

/** How the mule detectors treat an account, given its key, institution and reported account type. */
export const hubTreatmentOf = (
  subject: Pick<AccountRef, 'accountKey' | 'institutionId'>,
  accountType: string | undefined,
  policy: HubPolicy,
): HubTreatment => {
  if (
    policy.allowListedAccountKeys.has(subject.accountKey) ||
    policy.allowListedInstitutionIds.has(subject.institutionId)
  ) {
    return { kind: 'allow-listed' };
  }
  if (accountType !== undefined && policy.skippedAccountTypes.has(accountType)) return { kind: 'skipped' };
  const side = accountType === undefined ? undefined : policy.declaredSides.get(accountType);
  const declared = side && accountType ? { declared: { side, accountType } } : {};
  if (accountType !== undefined && policy.strongerEvidenceAccountTypes.has(accountType)) {
    return {
      kind: 'stronger-evidence',
      multiplier: policy.evidenceMultiplier,
      ...declared,
      facts: [
        {
          name: 'hubAccountType',
          description: `account reported as ${accountType}, a legitimate hub type: every count threshold was multiplied by ${policy.evidenceMultiplier}`,
          value: accountType,
          threshold: `thresholds x${policy.evidenceMultiplier}`,
          fired: false,
          unit: 'account type',
        },
      ],
    };
  }
  return { kind: 'ordinary', multiplier: 1, facts: [], ...declared };
};

/** Whether the mule detectors judge the account at all (not allow-listed, not of a skipped account type). */
export const isJudged = (
  subject: Pick<AccountRef, 'accountKey' | 'institutionId'>,
  accountType: string | undefined,
  policy: HubPolicy,
): boolean => {
  const kind = hubTreatmentOf(subject, accountType, policy).kind;
  return kind !== 'allow-listed' && kind !== 'skipped';
};
