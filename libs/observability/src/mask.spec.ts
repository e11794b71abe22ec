import { maskIdentifier, maskText } from './mask';

describe('maskIdentifier', () => {
  it('keeps the institution of an account key and the last four characters of the account', () => {
    expect(maskIdentifier('KASITHBK:1234567890')).toBe('KASITHBK:****7890');
  });

  it('masks a bare phone number, device id or wallet address the same way', () => {
    expect(maskIdentifier('+66812345678')).toBe('****5678');
    expect(maskIdentifier('device:3f9a2c77-aa01')).toBe('device:****aa01');
    expect(maskIdentifier('tron:TXYZabcdefghijkl1234')).toBe('tron:****1234');
  });

  it('never shows a short value at all, nor its length', () => {
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('BANK:12')).toBe('BANK:****');
    expect(maskIdentifier('phone:abc123')).toBe('phone:****');
    expect(maskIdentifier('BANK:VICT7777')).toBe('BANK:****7777');
  });

  it('never leaks more than four characters of what follows the prefix', () => {
    for (const account of ['1', '12345', '123456789012345678901234567890']) {
      const masked = maskIdentifier(`B:${account}`);
      expect(masked.replace(/^B:\**/, '').length).toBeLessThanOrEqual(4);
      expect(masked).not.toContain(account.length > 4 ? account : `:${account}`);
    }
  });
});

describe('maskText', () => {
  it('masks account and phone numbers inside a message and leaves other words alone', () => {
    expect(maskText('debtor 1234567890 paid 081-234-5678 at KASITHBK')).toBe(
      'debtor ****7890 paid ****5678 at KASITHBK',
    );
  });
});
