import {
  DEFAULT_SHARED_IDENTIFIER_RULE,
  evaluateSharedIdentifiers,
  type KnownMuleRef,
} from './shared-identifier.detector';

const subject = { accountKey: 'BANKA:alice', institutionId: 'BANKA' };
const mule: KnownMuleRef = {
  accountKey: 'BANKB:mule',
  alertId: 'a1',
  typology: 'mule.fan-in-pass-through',
  score: 0.8,
};
const known = new Map([[mule.accountKey, mule]]);
const sharer = (accountKey: string) => ({ accountKey, institutionId: accountKey.split(':')[0] ?? null });

describe(evaluateSharedIdentifiers.name, () => {
  const rule = DEFAULT_SHARED_IDENTIFIER_RULE;

  it('fires when the account shares a device with a known mule at another bank', () => {
    const finding = evaluateSharedIdentifiers(
      subject,
      [{ identifierKey: 'device:d1', identifierType: 'device', users: 2, sharers: [sharer('BANKB:mule')] }],
      known,
      rule,
    );
    expect(finding.fired).toBe(true);
    expect(finding.matches).toMatchObject([{ identifierType: 'device', crossInstitution: true }]);
    expect(finding.facts.find((f) => f.name === 'crossInstitution')).toMatchObject({
      value: 'yes',
      fired: true,
    });
    expect(finding.score).toBeGreaterThanOrEqual(0.75);
    expect(finding.facts.map((f) => f.unit)).toEqual(['identifiers', 'accounts', 'yes/no', 'identifiers']);
  });

  it('scores a shared IP at the same bank lower than a shared device at another bank', () => {
    const ip = evaluateSharedIdentifiers(
      { accountKey: 'BANKB:bob', institutionId: 'BANKB' },
      [{ identifierKey: 'ip:i1', identifierType: 'ip', users: 3, sharers: [sharer('BANKB:mule')] }],
      known,
      rule,
    );
    expect(ip.fired).toBe(true);
    expect(ip.score).toBeLessThan(0.75);
  });

  it('stays quiet for a family sharing a phone with nobody suspicious', () => {
    const finding = evaluateSharedIdentifiers(
      subject,
      [
        {
          identifierKey: 'phone:family',
          identifierType: 'phone',
          users: 4,
          sharers: [sharer('BANKA:mum'), sharer('BANKC:dad'), sharer('BANKA:kid')],
        },
      ],
      known,
      rule,
    );
    expect(finding.fired).toBe(false);
    expect(finding.score).toBe(0);
  });

  it('ignores a hub identifier (carrier IP) even when a known mule uses it, and says so', () => {
    const finding = evaluateSharedIdentifiers(
      subject,
      [
        {
          identifierKey: 'ip:carrier-nat',
          identifierType: 'ip',
          users: 500,
          sharers: [sharer('BANKB:mule')],
        },
      ],
      known,
      rule,
    );
    expect(finding.fired).toBe(false);
    expect(finding.hubIdentifiers).toEqual([{ identifierType: 'ip', users: 500 }]);
    expect(finding.facts.find((f) => f.name === 'hubIdentifiersIgnored')).toMatchObject({ value: '1' });
    expect(finding.facts.find((f) => f.name === 'hubIdentifiersIgnored')?.description).toContain(
      'ip used by 500',
    );
  });
});
