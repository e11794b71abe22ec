import { ProblemException } from '../http/problem';
import { decodeCursor, encodeCursor, mayReadAccount, pageSizeOf } from './graph-presenter';

describe('graph presenter', () => {
  it('lets a bank read only accounts of its own institution', () => {
    expect(mayReadAccount({ sub: 'b', role: 'bank', institutionId: 'KASITHBK' }, 'KASITHBK')).toBe(true);
    expect(mayReadAccount({ sub: 'b', role: 'bank', institutionId: 'KASITHBK' }, 'SCBLTHBX')).toBe(false);
    expect(mayReadAccount({ sub: 'b', role: 'bank' }, null)).toBe(false);
    expect(mayReadAccount({ sub: 'i', role: 'investigator' }, 'SCBLTHBX')).toBe(true);
  });

  it('round-trips a cursor and refuses one it did not make', () => {
    expect(decodeCursor(encodeCursor(150))).toBe(150);
    expect(decodeCursor(undefined)).toBe(0);
    expect(() => decodeCursor('bm90LWpzb24')).toThrow(ProblemException);
    expect(() => decodeCursor(encodeCursor(-1))).toThrow(ProblemException);
  });

  it('refuses a page size past the limit, naming it', () => {
    expect(pageSizeOf(undefined, { default: 50, max: 500 })).toBe(50);
    expect(pageSizeOf(500, { default: 50, max: 500 })).toBe(500);
    let refused: unknown;
    try {
      pageSizeOf(501, { default: 50, max: 500 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({
      detail: 'page size is limited to 500',
      extras: { limit: { name: 'limit', max: 500 } },
    });
  });
});
