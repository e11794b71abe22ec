import { rescaleLaunderingAmounts } from './amount-rescaling';

describe(rescaleLaunderingAmounts.name, () => {
  it('moves small laundering amounts onto the normal distribution, keeping their order and the normal rows', () => {
    const rows = [
      { value: '100.00', laundering: false },
      { value: '3.91', laundering: true },
      { value: '300.50', laundering: false },
      { value: '2.52', laundering: true },
      { value: '500.00', laundering: false },
      { value: '200.25', laundering: false },
    ];
    // Normal sorted: 100.00, 200.25, 300.50, 500.00. Laundering 2.52 sits at quantile 0.25 → 200.25, 3.91 at
    // 0.75 → 500.00.
    expect(rescaleLaunderingAmounts(rows)).toEqual([
      '100.00',
      '500.00',
      '300.50',
      '200.25',
      '500.00',
      '200.25',
    ]);
  });

  it('leaves everything as it is when there is no normal transfer to take amounts from', () => {
    expect(rescaleLaunderingAmounts([{ value: '4.00', laundering: true }])).toEqual(['4.00']);
  });

  it('refuses an amount that is not a plain decimal', () => {
    expect(() => rescaleLaunderingAmounts([{ value: '1e3', laundering: false }])).toThrow(/plain decimal/);
  });
});
