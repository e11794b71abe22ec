import { formatMinor, ratioOf, toMinorUnits } from './minor-units';

describe('toMinorUnits', () => {
  it('converts decimal strings into exact integer minor units per ISO 4217 exponent', () => {
    expect(toMinorUnits('1250.5', 'THB')).toEqual({
      ok: true,
      value: { amountMinor: '125050', currency: 'THB', scale: 2 },
    });
    expect(toMinorUnits('1500', 'JPY')).toEqual({
      ok: true,
      value: { amountMinor: '1500', currency: 'JPY', scale: 0 },
    });
    expect(toMinorUnits('1.234', 'KWD')).toEqual({
      ok: true,
      value: { amountMinor: '1234', currency: 'KWD', scale: 3 },
    });
  });

  it('keeps amounts far beyond the float-safe range exact', () => {
    const result = toMinorUnits('90071992547409931.07', 'USD');
    expect(result).toEqual({
      ok: true,
      value: { amountMinor: '9007199254740993107', currency: 'USD', scale: 2 },
    });
  });

  it('accepts trailing zeros beyond the exponent but refuses real extra precision', () => {
    expect(toMinorUnits('10.500', 'THB')).toMatchObject({ ok: true, value: { amountMinor: '1050' } });
    expect(toMinorUnits('10.505', 'THB')).toEqual({
      ok: false,
      reason: 'amount "10.505" has 3 decimals; THB allows 2',
    });
    expect(toMinorUnits('1.5', 'JPY')).toMatchObject({ ok: false });
  });

  it('refuses currencies that are not in ISO 4217', () => {
    expect(toMinorUnits('10', 'XXY')).toEqual({
      ok: false,
      reason: 'unknown currency "XXY" (not in ISO 4217)',
    });
  });
});

describe('formatMinor', () => {
  it('round-trips minor units back to decimal strings', () => {
    expect(formatMinor('125050', 2)).toBe('1250.50');
    expect(formatMinor(5n, 2)).toBe('0.05');
    expect(formatMinor('1500', 0)).toBe('1500');
    expect(formatMinor(-1234n, 3)).toBe('-1.234');
  });
});

describe('ratioOf', () => {
  it('computes ratios of large amounts without overflowing to Infinity', () => {
    expect(ratioOf(9_000_000_000_000_000_000n, 10_000_000_000_000_000_000n)).toBe(0.9);
    expect(ratioOf(1n, 0n)).toBe(0);
  });
});
