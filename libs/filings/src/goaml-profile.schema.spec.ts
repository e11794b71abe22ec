import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoamlProfileSchema, parseGoamlProfile } from './goaml-profile.schema';
import { PROFILE } from './filings.fixtures.testing';

describe('goAML profiles', () => {
  it('accepts the demo profile shipped in infra/goaml/profiles', () => {
    const file = join(__dirname, '../../../infra/goaml/profiles/demo.json');
    const profile = parseGoamlProfile(JSON.parse(readFileSync(file, 'utf8')), file);

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

  it('names the source and every problem of a broken profile', () => {
    expect(() => parseGoamlProfile({ ...PROFILE, rentityId: -1, submissionCode: 'X' }, 'fiu-x.json')).toThrow(
      /^goAML profile fiu-x\.json is invalid: .*rentityId: .*submissionCode: /,
    );
  });

  it('refuses indicator keys that are not typologies', () => {
    expect(
      GoamlProfileSchema.safeParse({ ...PROFILE, indicators: { default: ['M'], 'mule.typo': ['X'] } })
        .success,
    ).toBe(false);
  });
});
