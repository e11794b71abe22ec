import { DateTime } from 'neo4j-driver';
import {
  accountKeyOf,
  type AccountClosed,
  type AccountFactObserved,
  type AccountOpened,
  type IdentifierSeen,
} from '@scamflow/contracts';

const toDateTime = (timestamp: string): DateTime<number> => DateTime.fromStandardDate(new Date(timestamp));
const epochOf = (timestamp: string): number => Date.parse(timestamp);

interface AccountColumns {
  accountKey: string;
  accountId: string;
  institutionId: string;
  country: string;
}

export interface OpenedRow extends AccountColumns {
  factId: string;
  observedAt: DateTime<number>;
  openedAt: DateTime<number>;
  accountType: string;
  holderId: string | null;
}

export interface ClosedRow extends AccountColumns {
  factId: string;
  observedAt: DateTime<number>;
  closedAt: DateTime<number>;
}

export interface IdentifierRow extends AccountColumns {
  identifierKey: string;
  identifierType: string;
  firstSeenAt: DateTime<number>;
  lastSeenAt: DateTime<number>;
}

export interface AccountFactRows {
  opened: OpenedRow[];
  closed: ClosedRow[];
  identifiers: IdentifierRow[];
}

const accountOf = (fact: AccountFactObserved): AccountColumns => ({
  accountKey: accountKeyOf(fact.institutionId, fact.accountId),
  accountId: fact.accountId,
  institutionId: fact.institutionId,
  country: fact.country,
});

/** Identifier node key: `<type>:<pseudonymised value>`. */
export const identifierKeyOf = (fact: IdentifierSeen): string =>
  `${fact.identifierType}:${fact.identifierValue}`;

/** The fact that wins on one account: observed last, ties broken by fact id (the graph applies the same rule). */
const later = <F extends AccountOpened | AccountClosed>(a: F, b: F): F => {
  const byTime = epochOf(a.observedAt) - epochOf(b.observedAt);
  if (byTime !== 0) return byTime > 0 ? a : b;
  return a.factId >= b.factId ? a : b;
};

const keepLatest = <F extends AccountOpened | AccountClosed>(map: Map<string, F>, key: string, fact: F) => {
  const current = map.get(key);
  map.set(key, current ? later(current, fact) : fact);
};

/**
 * Reduces a batch of facts to one row per graph key, in the order-independent way the Cypher applies them:
 * the latest opened/closed fact per account, and the earliest and latest sighting per (account, identifier).
 * Rows within one statement then never compete for the same key.
 */
export const toAccountFactRows = (facts: readonly AccountFactObserved[]): AccountFactRows => {
  const opened = new Map<string, AccountOpened>();
  const closed = new Map<string, AccountClosed>();
  const sightings = new Map<string, { fact: IdentifierSeen; first: string; last: string }>();
  for (const fact of facts) {
    const accountKey = accountKeyOf(fact.institutionId, fact.accountId);
    switch (fact.kind) {
      case 'account-opened':
        keepLatest(opened, accountKey, fact);
        break;
      case 'account-closed':
        keepLatest(closed, accountKey, fact);
        break;
      case 'identifier-seen': {
        const key = `${accountKey}\n${identifierKeyOf(fact)}`;
        const seen = sightings.get(key) ?? { fact, first: fact.seenAt, last: fact.seenAt };
        if (epochOf(fact.seenAt) < epochOf(seen.first)) seen.first = fact.seenAt;
        if (epochOf(fact.seenAt) > epochOf(seen.last)) seen.last = fact.seenAt;
        sightings.set(key, seen);
        break;
      }
    }
  }
  return {
    opened: [...opened.values()].map((fact) => ({
      ...accountOf(fact),
      factId: fact.factId,
      observedAt: toDateTime(fact.observedAt),
      openedAt: toDateTime(fact.openedAt),
      accountType: fact.accountType,
      holderId: fact.holderId ?? null,
    })),
    closed: [...closed.values()].map((fact) => ({
      ...accountOf(fact),
      factId: fact.factId,
      observedAt: toDateTime(fact.observedAt),
      closedAt: toDateTime(fact.closedAt),
    })),
    identifiers: [...sightings.values()].map(({ fact, first, last }) => ({
      ...accountOf(fact),
      identifierKey: identifierKeyOf(fact),
      identifierType: fact.identifierType,
      firstSeenAt: toDateTime(first),
      lastSeenAt: toDateTime(last),
    })),
  };
};
