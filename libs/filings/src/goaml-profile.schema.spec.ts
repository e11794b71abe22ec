import { join } from 'node:path';
import { GoamlProfileSchema, loadGoamlProfile } from './goaml-profile.schema';
import { PROFILE } from './filings.fixtures.testing';

describe('goAML profiles', () => {
  it('loads the demo profile shipped in infra/goaml/profiles', () => {
    const profile = loadGoamlProfile(join(__dirname, '../../../infra/goaml/profiles/demo.json'));

    expect(profile.currencyCodeLocal).toBe('THB');
    expect(profile.indicators.default?.length).toBeGreaterThan(0);
  });

  it('refuses a profile without default indicators or with a rate that is a number', () => {
    const result = GoamlProfileSchema.safeParse({
      ...PROFILE,
      indicators: { 'mule.fan-in-pass-through': ['M'] },
      exchangeRates: { USD: 35 },
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'exchangeRates.USD',
      'indicators',
    ]);
  });

  it('refuses indicator keys that are not typologies', () => {
    expect(
      GoamlProfileSchema.safeParse({ ...PROFILE, indicators: { default: ['M'], 'mule.typo': ['X'] } })
        .success,
    ).toBe(false);
  });
});
