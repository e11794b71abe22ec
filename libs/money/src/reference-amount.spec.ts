import { toReferenceAmount } from './reference-amount';

const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });

describe('toReferenceAmount', () => {
  it('converts exactly when the result fits the reference minor unit', () => {
    // 150,000.00 THB at 0.0285 USD per THB = 4,275.00 USD
    expect(toReferenceAmount(thb('15000000'), '0.0285', 2)).toBe(427500n);
    // 1,500 JPY at 0.0064 USD per JPY = 9.60 USD
    expect(toReferenceAmount({ amountMinor: '1500', currency: 'JPY', scale: 0 }, '0.0064', 2)).toBe(960n);
    // 10.000 KWD at 3.25 USD per KWD = 32.50 USD; into JPY (scale 0): 10.000 KWD at 487.5 = 4875 JPY
    expect(toReferenceAmount({ amountMinor: '10000', currency: 'KWD', scale: 3 }, '3.25', 2)).toBe(3250n);
    expect(toReferenceAmount({ amountMinor: '10000', currency: 'KWD', scale: 3 }, '487.5', 0)).toBe(4875n);
  });

  it('rounds half to even at the reference minor unit', () => {
    // 0.25 THB at 0.5 = 0.125 USD → 0.12; 0.75 THB at 0.5 = 0.375 → 0.38
    expect(toReferenceAmount(thb('25'), '0.5', 2)).toBe(12n);
    expect(toReferenceAmount(thb('75'), '0.5', 2)).toBe(38n);
    // Just above and below the half go to the nearest.
    expect(toReferenceAmount(thb('25'), '0.50001', 2)).toBe(13n);
    expect(toReferenceAmount(thb('75'), '0.49999', 2)).toBe(37n);
    expect(toReferenceAmount(thb('1'), '0.0285', 2)).toBe(0n);
  });

  it('keeps amounts far beyond the float-safe range exact', () => {
    // 90,071,992,547,409,931.07 THB at 0.0285 = 2,567,051,787,601,183.035495 USD → …183.04
    expect(toReferenceAmount(thb('9007199254740993107'), '0.0285', 2)).toBe(256705178760118304n);
    // An exact half that far out still goes to even: 90,071,992,547,409,931.05 THB at 0.1 = …993.105 → …993.10
    expect(toReferenceAmount(thb('9007199254740993105'), '0.1', 2)).toBe(900719925474099310n);
    expect(toReferenceAmount(thb('9999999999999999999999999999999999'), '1', 2)).toBe(
      9999999999999999999999999999999999n,
    );
  });

  it('converts an 18-decimal asset', () => {
    // 1.5 ETH at 3012.45 USD = 4518.675 USD → half-even 4518.68
    const eth = { amountMinor: '1500000000000000000', currency: 'ETH', scale: 18 };
    expect(toReferenceAmount(eth, '3012.45', 2)).toBe(451868n);
    // 1 wei at 3012.45 is far below a cent
    expect(toReferenceAmount({ ...eth, amountMinor: '1' }, '3012.45', 2)).toBe(0n);
    // and to 18 decimals on the reference side, a rate with 18 decimals
    expect(toReferenceAmount(eth, '0.999812345678901234', 18)).toBe(1499718518518351851n);
  });

  it('is the identity when the amount is already in the reference currency', () => {
    const usd = { amountMinor: '9007199254740993107', currency: 'USD', scale: 2 };
    expect(toReferenceAmount(usd, '1', 2)).toBe(9007199254740993107n);
    expect(toReferenceAmount(usd, '1.000', 2)).toBe(9007199254740993107n);
  });

  it('keeps the sign of negative amounts (balances)', () => {
    expect(toReferenceAmount(thb('-25'), '0.5', 2)).toBe(-12n);
  });

  it('refuses a rate that is not a decimal string', () => {
    expect(() => toReferenceAmount(thb('100'), '2.8e-2', 2)).toThrow(/not a decimal string/);
  });
});
