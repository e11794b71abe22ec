import type { AlertFact } from '@scamflow/contracts';

export interface SharedIdentifierRule {
  /** Identifiers used by more accounts than this are hubs (carrier NAT, office network) and are ignored. */
  readonly maxAccountsPerIdentifier: number;
}

export const DEFAULT_SHARED_IDENTIFIER_RULE: SharedIdentifierRule = { maxAccountsPerIdentifier: 8 };

/** What the subject shares: one identifier, how many accounts use it, and those other accounts. */
export interface SharedIdentifierInput {
  readonly identifierKey: string;
  readonly identifierType: string;
  /** Accounts using it, the subject included. */
  readonly users: number;
  readonly sharers: readonly { readonly accountKey: string; readonly institutionId: string | null }[];
}

export interface KnownMuleRef {
  readonly accountKey: string;
  readonly alertId: string;
  readonly typology: string;
  readonly score: number;
}

export interface SharedIdentifierMatch {
  readonly identifierKey: string;
  readonly identifierType: string;
  readonly mule: KnownMuleRef;
  readonly muleInstitutionId: string | null;
  readonly crossInstitution: boolean;
}

export interface SharedIdentifierFinding {
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly matches: SharedIdentifierMatch[];
  readonly hubIdentifiers: { readonly identifierType: string; readonly users: number }[];
}

/** How strongly sharing each kind of identifier links two accounts (an IP is weakest: many share one). */
const TYPE_WEIGHT: Readonly<Record<string, number>> = { device: 0.25, holder: 0.25, phone: 0.2, ip: 0.1 };

/**
 * An account sharing a device, phone, IP or holder with a known mule, stronger at another institution.
 * Hub identifiers are ignored and the facts say so.
 */
export const evaluateSharedIdentifiers = (
  subject: { readonly accountKey: string; readonly institutionId: string | null },
  identifiers: readonly SharedIdentifierInput[],
  knownMules: ReadonlyMap<string, KnownMuleRef>,
  rule: SharedIdentifierRule,
): SharedIdentifierFinding => {
  const hubIdentifiers = identifiers
    .filter((i) => i.users > rule.maxAccountsPerIdentifier)
    .map((i) => ({ identifierType: i.identifierType, users: i.users }));
  const matches: SharedIdentifierMatch[] = [];
  for (const identifier of identifiers) {
    if (identifier.users > rule.maxAccountsPerIdentifier) continue;
    for (const sharer of identifier.sharers) {
      const mule = knownMules.get(sharer.accountKey);
      if (!mule || sharer.accountKey === subject.accountKey) continue;
      matches.push({
        identifierKey: identifier.identifierKey,
        identifierType: identifier.identifierType,
        mule,
        muleInstitutionId: sharer.institutionId,
        crossInstitution: sharer.institutionId !== null && sharer.institutionId !== subject.institutionId,
      });
    }
  }
  matches.sort(
    (a, b) =>
      a.identifierKey.localeCompare(b.identifierKey) || a.mule.accountKey.localeCompare(b.mule.accountKey),
  );

  const crossInstitution = matches.some((m) => m.crossInstitution);
  const types = [...new Set(matches.map((m) => m.identifierType))].sort();
  const facts: AlertFact[] = [
    {
      name: 'sharedWithKnownMule',
      description: `identifiers (${types.join(', ') || 'none'}) shared with an account a mule alert has named`,
      value: String(new Set(matches.map((m) => m.identifierKey)).size),
      threshold: '>= 1',
      fired: matches.length > 0,
      unit: 'identifiers',
    },
    {
      name: 'knownMulesLinked',
      description: 'distinct known mules sharing an identifier with the account',
      value: String(new Set(matches.map((m) => m.mule.accountKey)).size),
      threshold: '>= 1',
      fired: matches.length > 0,
      unit: 'accounts',
    },
    {
      name: 'crossInstitution',
      description: 'a linked known mule holds its account at another institution',
      value: crossInstitution ? 'yes' : 'no',
      threshold: 'yes',
      fired: crossInstitution,
      unit: 'yes/no',
    },
    {
      name: 'hubIdentifiersIgnored',
      description:
        `identifiers used by more than ${rule.maxAccountsPerIdentifier} accounts (shared networks, carrier IPs) ` +
        `are not counted` +
        (hubIdentifiers.length > 0
          ? `: ${hubIdentifiers.map((h) => `${h.identifierType} used by ${h.users}`).join(', ')}`
          : ''),
      value: String(hubIdentifiers.length),
      threshold: `<= ${rule.maxAccountsPerIdentifier} accounts per identifier`,
      fired: false,
      unit: 'identifiers',
    },
  ];

  const fired = matches.length > 0;
  const strongest = Math.max(0, ...matches.map((m) => TYPE_WEIGHT[m.identifierType] ?? 0.1));
  const muleScore = Math.max(0, ...matches.map((m) => m.mule.score));
  const extra = Math.min(2, matches.length - 1);
  const score = fired
    ? Math.min(1, 0.45 + strongest + (crossInstitution ? 0.1 : 0) + 0.05 * extra + 0.1 * muleScore)
    : 0;
  return { fired, score: Number(score.toFixed(3)), facts, matches, hubIdentifiers };
};
