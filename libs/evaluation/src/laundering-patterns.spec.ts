import { derivePatternTypes, type LaunderingEdge } from './laundering-patterns';

const edges = (...pairs: [string, string][]): Map<number, LaunderingEdge> =>
  new Map(pairs.map(([from, to], i) => [i + 1, { from, to, atMs: i }]));

describe(derivePatternTypes.name, () => {
  it('names cycles, fan-in, fan-out, chains and the rest from the labelled subgraph', () => {
    const patterns = derivePatternTypes(
      edges(
        ['a', 'b'], // 1 cycle a → b → c → a
        ['b', 'c'], // 2
        ['c', 'a'], // 3
        ['s1', 'hub'], // 4 fan-in into hub
        ['s2', 'hub'], // 5
        ['s3', 'hub'], // 6
        ['src', 'r1'], // 7 fan-out from src
        ['src', 'r2'], // 8
        ['src', 'r3'], // 9
        ['x', 'y'], // 10 chain x → y → z: y → z has money in and out around it
        ['y', 'z'], // 11
        ['z', 'w'], // 12
        ['lone', 'one'], // 13
      ),
    );
    expect([...patterns.values()]).toEqual([
      'cycle',
      'cycle',
      'cycle',
      'fan-in',
      'fan-in',
      'fan-in',
      'fan-out',
      'fan-out',
      'fan-out',
      'other',
      'chain',
      'other',
      'other',
    ]);
  });
});
