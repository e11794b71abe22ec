import fc from 'fast-check';
import {
  accountKeyOf,
  bankTransferIdOf,
  keyOf,
  keyParts,
  onChainTransferIdOf,
  vaspMovementIdOf,
} from './keys';

/** Strings rich in the characters that matter: separators, escapes and look-alike escape sequences. */
const part = fc.string({
  unit: fc.constantFrom('a', 'B', '1', ':', '%', '3', 'A', '2', '5', '|', ' ', 'ก'),
  maxLength: 8,
});

describe('keys', () => {
  it('keeps every key built from parts without % or : byte-identical to the plain join', () => {
    expect(accountKeyOf('KASITHBK', '1234567890')).toBe('KASITHBK:1234567890');
    expect(bankTransferIdOf('KASITHBK', 'TX-20261123-000001')).toBe('bank:KASITHBK:TX-20261123-000001');
    expect(vaspMovementIdOf('VASP-TH-1', 'm-1')).toBe('vasp:VASP-TH-1:m-1');
    expect(onChainTransferIdOf('tron', '0xabc', 3)).toBe('onchain:tron:0xabc:3');
  });

  it('tells bank A:B + account C from bank A + account B:C', () => {
    expect(accountKeyOf('A:B', 'C')).not.toBe(accountKeyOf('A', 'B:C'));
    expect(accountKeyOf('A:B', 'C')).toBe('A%3AB:C');
  });

  it('stops a crafted reporter from claiming another bank transfer id', () => {
    expect(bankTransferIdOf('EVIL:KASITHBK', 'TX1')).not.toBe(bankTransferIdOf('EVIL', 'KASITHBK:TX1'));
  });

  it('never maps two distinct account tuples to one key', () => {
    fc.assert(
      fc.property(part, part, part, part, (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(accountKeyOf(a, b)).not.toBe(accountKeyOf(c, d));
      }),
      { numRuns: 2_000 },
    );
  });

  it('never maps two distinct transfer id tuples to one id', () => {
    fc.assert(
      fc.property(fc.tuple(part, part), fc.tuple(part, part), ([r1, t1], [r2, t2]) => {
        fc.pre(r1 !== r2 || t1 !== t2);
        expect(bankTransferIdOf(r1, t1)).not.toBe(bankTransferIdOf(r2, t2));
      }),
      { numRuns: 2_000 },
    );
  });

  it('decodes every key back to its parts', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        expect(keyParts(keyOf(...parts))).toEqual(parts);
      }),
      { numRuns: 2_000 },
    );
  });
});
