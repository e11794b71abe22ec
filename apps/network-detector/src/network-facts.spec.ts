import fc from 'fast-check';
import { INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import { hop, viewOf, HOUR, MIN } from './network-view.testing';
import { networkRulesOf } from './network-rules';
import { draftsOf, searchAround } from './network-search';

const rules = networkRulesOf(INSTANT_PAYMENTS_PROFILE);

/** Dense little graphs of similar amounts within hours: chains, cycles, scatter-gathers and blocks all occur. */
const graphs = fc
  .array(
    fc.record({
      from: fc.integer({ min: 0, max: 7 }),
      to: fc.integer({ min: 0, max: 7 }),
      amount: fc.bigInt({ min: 9_000_00n, max: 10_000_00n }),
      atMin: fc.integer({ min: 0, max: 6 * 60 }),
    }),
    { minLength: 3, maxLength: 30 },
  )
  .map((rows) =>
    rows
      .filter((r) => r.from !== r.to)
      .map((r, i) => hop(`t${i}`, `A:${r.from}`, `A:${r.to}`, r.amount, r.atMin * MIN)),
  );

const NUMERIC_UNITS = new Set(['transfers', 'accounts', 'minutes', 'layers']);

describe('network alert facts', () => {
  it('every fact of every network alert states its unit, and shares stay in [0, 1]', () => {
    let alerted = 0;
    fc.assert(
      fc.property(graphs, (hops) => {
        const view = viewOf(hops);
        const drafts = draftsOf(
          hops.map((h) => searchAround(h, view, rules)),
          new Map(),
        );
        alerted += drafts.length;
        for (const fact of drafts.flatMap((d) => d.facts)) {
          expect(fact.unit).toBeDefined();
          if (fact.unit === 'share (0-1)') {
            expect(Number(fact.value)).toBeGreaterThanOrEqual(0);
            expect(Number(fact.value)).toBeLessThanOrEqual(1);
          }
          if (NUMERIC_UNITS.has(fact.unit!) && fact.value !== 'out of time order') {
            expect(Number(fact.value)).toBeGreaterThanOrEqual(0);
          }
          if (fact.unit?.startsWith('ratio')) expect(Number(fact.value)).toBeGreaterThanOrEqual(0);
        }
        for (const draft of drafts) {
          expect(draft.score).toBeGreaterThanOrEqual(0);
          expect(draft.score).toBeLessThanOrEqual(1);
          expect(draft.trigger.transferId).toBeDefined();
        }
      }),
      { numRuns: 150, seed: 12 },
    );
    // The generator is only useful if patterns fire on it.
    expect(alerted).toBeGreaterThan(0);
  });

  it('a cycle alert never reports more returned than the gain limit allows', () => {
    const cycle = [
      hop('c1', 'A:o', 'B:x', 100_000_00n, 0),
      hop('c2', 'B:x', 'C:y', 104_000_00n, HOUR),
      hop('c3', 'C:y', 'A:o', 104_900_00n, 2 * HOUR),
    ];
    const view = viewOf(cycle);
    const [draft] = draftsOf([searchAround(cycle[2]!, view, rules)], new Map());
    expect(draft?.facts.find((f) => f.name === 'returnedRatio')).toMatchObject({
      value: '1.049',
      threshold: `>= ${rules.cycle.minReturnedRatio} and <= ${rules.cycle.maxGainRatio}`,
      unit: 'ratio (returned / left)',
    });
  });
});
