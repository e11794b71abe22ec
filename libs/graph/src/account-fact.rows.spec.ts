import type { AccountFactObserved, AccountOpened, IdentifierSeen } from '@scamflow/contracts';
import { toAccountFactRows } from './account-fact.rows';

const envelope = {
  schemaVersion: 1 as const,
  reportedBy: 'KASITHBK',
  accountId: '1234567890',
  institutionId: 'KASITHBK',
  country: 'TH',
};

const opened = (
  factId: string,
  observedAt: string,
  accountType: AccountOpened['accountType'],
): AccountOpened => ({
  ...envelope,
  kind: 'account-opened',
  factId,
  observedAt,
  openedAt: '2026-11-20T03:00:00Z',
  accountType,
});

const seen = (factId: string, seenAt: string, institutionId = 'KASITHBK'): IdentifierSeen => ({
  ...envelope,
  institutionId,
  kind: 'identifier-seen',
  factId,
  observedAt: seenAt,
  identifierType: 'device',
  identifierValue: 'dev-5e0c9a7b3f21d4e8',
  seenAt,
});

const iso = (value: { toString(): string }) => new Date(value.toString()).toISOString();

describe(toAccountFactRows.name, () => {
  it('keeps the opened fact observed last, whatever order the batch holds', () => {
    const older = opened('F-1', '2026-11-20T03:00:00Z', 'personal');
    const correction = opened('F-2', '2026-11-21T03:00:00Z', 'business');
    for (const facts of [
      [older, correction],
      [correction, older],
    ]) {
      const { opened: rows } = toAccountFactRows(facts);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        accountKey: 'KASITHBK:1234567890',
        factId: 'F-2',
        accountType: 'business',
      });
    }
  });

  it('breaks a tie of observation times by fact id, as the graph does', () => {
    const a = opened('F-a', '2026-11-20T03:00:00Z', 'personal');
    const b = opened('F-b', '2026-11-20T10:00:00+07:00', 'merchant');
    expect(toAccountFactRows([b, a]).opened[0]?.factId).toBe('F-b');
    expect(toAccountFactRows([a, b]).opened[0]?.factId).toBe('F-b');
  });

  it('folds sightings into the earliest and latest time per account and identifier', () => {
    const facts: AccountFactObserved[] = [
      seen('F-2', '2026-11-21T10:00:00Z'),
      seen('F-1', '2026-11-21T09:00:00+07:00'),
      seen('F-3', '2026-11-21T12:00:00Z'),
      seen('F-2', '2026-11-21T10:00:00Z'),
      seen('F-4', '2026-11-21T11:00:00Z', 'BKKBTHBK'),
    ];
    const { identifiers } = toAccountFactRows(facts);
    expect(
      identifiers.map((row) => ({
        accountKey: row.accountKey,
        identifierKey: row.identifierKey,
        firstSeenAt: iso(row.firstSeenAt),
        lastSeenAt: iso(row.lastSeenAt),
      })),
    ).toEqual([
      {
        accountKey: 'KASITHBK:1234567890',
        identifierKey: 'device:dev-5e0c9a7b3f21d4e8',
        firstSeenAt: '2026-11-21T02:00:00.000Z',
        lastSeenAt: '2026-11-21T12:00:00.000Z',
      },
      {
        accountKey: 'BKKBTHBK:1234567890',
        identifierKey: 'device:dev-5e0c9a7b3f21d4e8',
        firstSeenAt: '2026-11-21T11:00:00.000Z',
        lastSeenAt: '2026-11-21T11:00:00.000Z',
      },
    ]);
  });
});
