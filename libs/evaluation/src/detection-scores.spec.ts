import { latestAlertVersions, scoreDetections, scoresOf } from './detection-scores';

const keys = (...k: string[]) => new Set(k);

describe(scoresOf.name, () => {
  it('counts hits, false alarms and misses and derives precision, recall and F1 from them', () => {
    const scores = scoresOf(keys('a', 'b', 'x'), keys('a', 'b', 'c', 'd'));
    expect(scores).toEqual({ tp: 2, fp: 1, fn: 2, precision: 0.6667, recall: 0.5, f1: 0.5714 });
  });

  it('reports zeros, not NaN, when nothing is alerted or nothing is labelled', () => {
    expect(scoresOf(keys(), keys('a'))).toEqual({ tp: 0, fp: 0, fn: 1, precision: 0, recall: 0, f1: 0 });
    expect(scoresOf(keys('a'), keys())).toEqual({ tp: 0, fp: 1, fn: 0, precision: 0, recall: 0, f1: 0 });
  });
});

describe(scoreDetections.name, () => {
  const accounts = keys('m1', 'm2', 'm3', 'n1', 'n2', 'n3');
  const positives = keys('m1', 'm2', 'm3');

  it('scores each account once however many alerts it has, overall and per typology', () => {
    const result = scoreDetections({
      accounts,
      positives,
      alerts: [
        { accountKey: 'm1', typology: 'mule.fan-in' },
        { accountKey: 'm1', typology: 'mule.fan-in' },
        { accountKey: 'm1', typology: 'mule.layering' },
        { accountKey: 'm2', typology: 'mule.layering' },
        { accountKey: 'n1', typology: 'mule.fan-in' },
      ],
    });
    expect(result).toEqual({
      accounts: 6,
      labelledPositive: 3,
      alerted: 3,
      overall: { tp: 2, fp: 1, fn: 1, precision: 0.6667, recall: 0.6667, f1: 0.6667 },
      perTypology: {
        'mule.fan-in': {
          alerted: 2,
          tp: 1,
          fp: 1,
          fn: 2,
          precision: 0.5,
          recall: 0.3333,
          f1: 0.4,
          missedSample: ['m2', 'm3'],
        },
        'mule.layering': {
          alerted: 2,
          tp: 2,
          fp: 0,
          fn: 1,
          precision: 1,
          recall: 0.6667,
          f1: 0.8,
          missedSample: ['m3'],
        },
      },
    });
  });

  it('names at most ten missed positives per typology, first by key', () => {
    const many = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    const result = scoreDetections({
      accounts: new Set(many),
      positives: new Set(many),
      alerts: [{ accountKey: 'm00', typology: 'mule.fan-in' }],
    });
    expect(result.perTypology['mule.fan-in']?.missedSample).toEqual(many.slice(1, 11));
  });

  it('ignores alerts on accounts outside the evaluated population', () => {
    const result = scoreDetections({
      accounts,
      positives,
      alerts: [
        { accountKey: 'other-run:m1', typology: 'mule.fan-in' },
        { accountKey: 'm3', typology: 'mule.fan-in' },
      ],
    });
    expect(result.alerted).toBe(1);
    expect(result.overall).toMatchObject({ tp: 1, fp: 0, fn: 2 });
  });
});

describe(latestAlertVersions.name, () => {
  it('keeps only the newest version of each alert, whatever order they arrived in', () => {
    const latest = latestAlertVersions([
      { alertId: 'A', version: 2, typology: 't' },
      { alertId: 'A', version: 1, typology: 't' },
      { alertId: 'B', version: 1, typology: 't' },
      { alertId: 'A', version: 3, typology: 't' },
    ]);
    expect(latest.map((a) => `${a.alertId}@${a.version}`).sort()).toEqual(['A@3', 'B@1']);
  });
});
