import { divideHalfEven, roundToScale } from './half-even';

describe(roundToScale.name, () => {
  it.each([
    ['3697.34', 2, '3697.34', false],
    ['22.7', 2, '22.70', false],
    ['12.340', 2, '12.34', false],
    ['1949818.73', 0, '1949819', true],
    ['2.5', 0, '2', true],
    ['3.5', 0, '4', true],
    ['2.51', 0, '3', true],
    ['0.125', 2, '0.12', true],
    ['0.135', 2, '0.14', true],
    ['0.025852', 2, '0.03', true],
    ['99999999999999999999.995', 2, '100000000000000000000.00', true],
  ])('brings %s to %i decimals as %s (rounded: %s), half to even', (text, scale, value, rounded) => {
    expect(roundToScale(text, scale)).toMatchObject({ value, rounded });
  });

  it.each(['', '1e3', '-5.00', '1,000.00', ' 12', '.5'])(
    'refuses "%s", which is not a plain decimal',
    (text) => {
      expect(roundToScale(text, 2)).toBeUndefined();
    },
  );
});

describe(divideHalfEven.name, () => {
  it('rounds ties to the even neighbour, symmetrically for negative amounts', () => {
    expect([5n, 15n, 25n, 26n].map((n) => divideHalfEven(n, 10n))).toEqual([0n, 2n, 2n, 3n]);
    expect([-5n, -15n, -26n].map((n) => divideHalfEven(n, 10n))).toEqual([0n, -2n, -3n]);
  });
});
