import { scoreMuleDetectorsOnTruth } from './mule-detector-scores';

describe(scoreMuleDetectorsOnTruth.name, () => {
  const truth = [
    { accountKey: 'B:mule1', role: 'mule' },
    { accountKey: 'B:mule2', role: 'mule' },
    { accountKey: 'B:collector', role: 'collector' },
    { accountKey: 'B:victim', role: 'victim' },
    { accountKey: 'B:shop', role: 'legit-hub' },
    { accountKey: 'B:person', role: 'normal' },
  ];

  it('scores the mule detectors per typology, leaving proceeds alerts out', () => {
    const scores = scoreMuleDetectorsOnTruth(truth, [
      {
        typology: 'mule.fan-in',
        subject: { accountKey: 'B:mule1' },
        involved: [
          { accountKey: 'B:mule2', role: 'mule' },
          { accountKey: 'B:victim', role: 'counterparty' },
        ],
      },
      { typology: 'mule.layering-chain', subject: { accountKey: 'B:shop' } },
      { typology: 'mule.proximity-to-proceeds', subject: { accountKey: 'B:collector' } },
      { typology: 'proceeds.cross-border', subject: { accountKey: 'B:collector' } },
    ]);
    expect(scores.labelledPositive).toBe(3);
    expect(scores.overall).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(scores.perTypology['mule.fan-in']).toMatchObject({ alerted: 2, tp: 2, fp: 0, precision: 1 });
    expect(scores.perTypology['mule.layering-chain']).toMatchObject({
      alerted: 1,
      tp: 0,
      fp: 1,
      precision: 0,
    });
    expect(Object.keys(scores.perTypology)).toEqual(['mule.fan-in', 'mule.layering-chain']);
  });
});
