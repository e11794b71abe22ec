import { alertFixture } from '../testing/alert-fixtures.testing';
import { maskForInstitution, withDecimals } from './alert-presenter';

describe(maskForInstitution.name, () => {
  const alert = alertFixture({ alertId: 'a-1', ownBank: 'OWNBK', otherBank: 'OTHBK' });

  it("masks another institution's account numbers, keys and holders everywhere, prose included", () => {
    const masked = JSON.stringify(maskForInstitution(alert, 'OWNBK'));
    expect(masked).not.toContain('VICT7777');
    expect(masked).not.toContain('holder-OTHBK');
    expect(masked).toContain('OTHBK:****7777');
    expect(masked).toContain('Victim OTHBK:****7777 paid');
  });

  it("keeps the bank's own accounts and every amount intact", () => {
    const masked = maskForInstitution(alert, 'OWNBK');
    expect(masked.subject.accountKey).toBe('OWNBK:MULE0001');
    expect(masked.evidence.edges[0]?.amount).toEqual({ amountMinor: '1500000', currency: 'THB', scale: 2 });
  });
});

describe(withDecimals.name, () => {
  it('adds an exact decimal string to every minor-unit amount', () => {
    expect(
      withDecimals({
        a: { amountMinor: '1500001', currency: 'THB', scale: 2 },
        b: [{ amountMinor: '7', currency: 'JPY', scale: 0 }],
      }),
    ).toEqual({
      a: { amountMinor: '1500001', currency: 'THB', scale: 2, decimal: '15000.01' },
      b: [{ amountMinor: '7', currency: 'JPY', scale: 0, decimal: '7' }],
    });
  });
});
