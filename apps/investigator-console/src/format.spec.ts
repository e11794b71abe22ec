import {
  compareDecimal,
  formatElapsed,
  formatMoney,
  formatTime,
  fromMinor,
  groupDecimal,
  minorToDecimal,
  utcTitle,
} from './format';

describe('format', () => {
  it('turns minor units into the currency’s own decimals without floats', () => {
    expect(minorToDecimal('300000', 2)).toBe('3000.00');
    expect(minorToDecimal('5', 2)).toBe('0.05');
    expect(minorToDecimal('-84000', 2)).toBe('-840.00');
    expect(minorToDecimal('3600000000', 6)).toBe('3600.000000');
    expect(minorToDecimal('1200', 0)).toBe('1200');
    // Past 2^53: a float would print 90071992547409.93.
    expect(minorToDecimal('9007199254740993', 2)).toBe('90071992547409.93');
  });

  it('groups thousands and keeps the decimals as given', () => {
    expect(groupDecimal('1234567.50')).toBe('1,234,567.50');
    expect(groupDecimal('999')).toBe('999');
    expect(groupDecimal('-1000.000001')).toBe('-1,000.000001');
    expect(formatMoney(fromMinor({ amountMinor: '14400000', currency: 'THB', scale: 2 }))).toBe(
      '144,000.00 THB',
    );
  });

  it('compares decimal strings exactly', () => {
    expect(compareDecimal('10.5', '10.50')).toBe(0);
    expect(compareDecimal('9007199254740993.01', '9007199254740993.009')).toBe(1);
    expect(compareDecimal('0.1', '2')).toBe(-1);
  });

  it('shows times in Bangkok by default, UTC in the hover title, in English or Thai', () => {
    const iso = '2026-11-23T02:15:00Z';
    expect(formatTime(iso, 'en')).toContain('09:15:00');
    expect(formatTime(iso, 'en', 'UTC')).toContain('02:15:00');
    expect(utcTitle('2026-11-23T09:15:00+07:00')).toBe('2026-11-23 02:15:00 UTC');
    // Thai dates use the Buddhist era (2026 CE = 2569 BE) and Thai month names.
    expect(formatTime(iso, 'th')).toContain('2569');
  });

  it('prints elapsed time as days and a clock', () => {
    expect(formatElapsed(((26 * 60 + 3) * 60 + 9) * 1000)).toBe('1 d 02:03:09');
    expect(formatElapsed(59_000)).toBe('00:00:59');
  });
});
