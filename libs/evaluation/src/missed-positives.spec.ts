import { MISSED_SHAPES, missedPositivesByShape } from './missed-positives';

describe(missedPositivesByShape.name, () => {
  const positives = new Set(['hub', 'split', 'single', 'hop', 'lone', 'paid-once', 'found']);
  const transfers = [
    // 'split' pays the hub twice on day 3; 'single' pays it once; 'found' pays it once (detected).
    { from: 'split', to: 'hub', period: 3 },
    { from: 'split', to: 'hub', period: 3 },
    { from: 'single', to: 'hub', period: 4 },
    { from: 'found', to: 'hub', period: 5 },
    // 'hop' is paid by the hub and pays 'paid-once'.
    { from: 'hub', to: 'hop', period: 6 },
    { from: 'hop', to: 'paid-once', period: 7 },
    // Transfers with unlabelled accounts describe no pattern: 'lone' only has those.
    { from: 'lone', to: 'shop', period: 1 },
    { from: 'payer', to: 'lone', period: 2 },
    { from: 'payer', to: 'single', period: 2 },
  ];

  it('gives each missed positive its shape among the transfers between labelled accounts', () => {
    const result = missedPositivesByShape({ positives, detected: new Set(['found', 'x']), transfers });
    expect(result.missed).toBe(6);
    expect(result.byShape).toEqual({
      [MISSED_SHAPES.isolated]: 1,
      [MISSED_SHAPES.splitSender]: 1,
      [MISSED_SHAPES.singleSender]: 1,
      [MISSED_SHAPES.collector]: 0,
      [MISSED_SHAPES.singleReceiver]: 1,
      [MISSED_SHAPES.hop]: 2,
    });
    expect(result.positivesByShape[MISSED_SHAPES.singleSender]).toBe(2);
    expect(result.sample[MISSED_SHAPES.isolated]).toEqual(['lone']);
    expect(result.sample[MISSED_SHAPES.hop]).toEqual(['hop', 'hub']);
  });

  it('calls an account paid by several labelled accounts a collector, and splits are per period', () => {
    const result = missedPositivesByShape({
      positives: new Set(['a', 'b', 'c']),
      detected: new Set(['a', 'b']),
      transfers: [
        { from: 'a', to: 'c', period: 1 },
        { from: 'a', to: 'c', period: 2 },
        { from: 'b', to: 'c', period: 2 },
      ],
    });
    expect(result.byShape[MISSED_SHAPES.collector]).toBe(1);
    const senders = missedPositivesByShape({
      positives: new Set(['a', 'c']),
      detected: new Set(['c']),
      transfers: [
        { from: 'a', to: 'c', period: 1 },
        { from: 'a', to: 'c', period: 2 },
      ],
    });
    expect(senders.byShape[MISSED_SHAPES.singleSender]).toBe(1);
  });
});
