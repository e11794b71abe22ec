import { bank } from './proceeds-fixtures.testing';
import { inferRoles } from './roles';

describe(inferRoles.name, () => {
  const v1 = bank('v1');
  const v2 = bank('v2');
  const m1 = bank('m1');
  const m2 = bank('m2');
  const collector = bank('collector');
  const abroad = bank('abroad', 'KHBANK', 'KH');
  const home = bank('home');
  const accounts = new Map([v1, v2, m1, m2, collector, abroad, home].map((a) => [a.accountKey, a]));
  const move = (from: { accountKey: string }, to: { accountKey: string }) => ({
    fromKey: from.accountKey,
    toKey: to.accountKey,
  });

  it('tells collectors (two traced senders), mules, foreign beneficiaries and domestic holders apart', () => {
    const roles = inferRoles({
      victimKeys: new Set([v1.accountKey, v2.accountKey]),
      accounts,
      victimCountries: new Set(['TH']),
      moves: [
        move(v1, m1),
        move(v2, m2),
        move(m1, collector),
        move(m2, collector),
        move(collector, abroad),
        move(collector, home),
      ],
    });
    expect(Object.fromEntries([...roles].map(([key, role]) => [accounts.get(key)?.accountId, role]))).toEqual(
      {
        v1: 'victim',
        v2: 'victim',
        m1: 'mule',
        m2: 'mule',
        collector: 'collector',
        abroad: 'beneficiary',
        home: 'counterparty',
      },
    );
  });
});
