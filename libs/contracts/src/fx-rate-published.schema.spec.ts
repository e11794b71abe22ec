import { FxRatePublishedSchema } from './fx-rate-published.schema';
import { goldenFixtures, itParsesGoldenFixtures } from './golden-fixtures.testing';

const { load, reasonFor } = goldenFixtures('fx-rate-published', FxRatePublishedSchema);

describe('FxRatePublishedSchema', () => {
  itParsesGoldenFixtures('fx-rate-published', FxRatePublishedSchema);

  it('names the field at fault', () => {
    expect(reasonFor(load('invalid-float-rate.json'))).toMatch(
      /expected string, received number\n\s+→ at rate/,
    );
    expect(reasonFor(load('invalid-zero-rate.json'))).toMatch(/greater than zero\n\s+→ at rate/);
    expect(reasonFor(load('invalid-asset-as-quote.json'))).toMatch(/ISO 4217[\s\S]*→ at quote/);
    expect(reasonFor(load('invalid-missing-source.json'))).toMatch(/→ at source/);
  });

  it('refuses fields it does not know, so a typo is not silently ignored', () => {
    const rate = { ...(load('valid-thb-usd.json') as object), valid_from: '2026-11-23T00:00:00Z' };
    expect(reasonFor(rate)).toContain('valid_from');
  });
});
