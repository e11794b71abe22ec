import { precisionByTypology } from './disposition-precision';

describe(precisionByTypology.name, () => {
  it('scores each typology by confirmed over confirmed plus false positives, duplicates aside', () => {
    expect(
      precisionByTypology([
        { typology: 'mule.rapid-pass-through', disposition: 'confirmed-mule' },
        { typology: 'mule.rapid-pass-through', disposition: 'confirmed-mule' },
        { typology: 'mule.rapid-pass-through', disposition: 'false-positive' },
        { typology: 'mule.rapid-pass-through', disposition: 'duplicate' },
        { typology: 'proceeds.cross-border', disposition: 'confirmed-proceeds' },
      ]),
    ).toEqual([
      {
        typology: 'mule.rapid-pass-through',
        confirmed: 2,
        falsePositives: 1,
        duplicates: 1,
        precision: 0.6667,
      },
      { typology: 'proceeds.cross-border', confirmed: 1, falsePositives: 0, duplicates: 0, precision: 1 },
    ]);
  });

  it('gives no precision to a typology with duplicates only', () => {
    expect(precisionByTypology([{ typology: 'mule.round-tripping', disposition: 'duplicate' }])).toEqual([
      { typology: 'mule.round-tripping', confirmed: 0, falsePositives: 0, duplicates: 1, precision: null },
    ]);
  });
});
