import { couldSettle, pendingPaymentsOf } from './pending-payments';
import type { ProceedsSubgraph } from './proceeds-graph';

const MIN = 60_000;
const limits = { paymentMatchWindowMs: 30 * MIN, horizonMs: 24 * 60 * MIN };
const subgraph = (reportedTransfers: ProceedsSubgraph['case']['reportedTransfers'], unmatched: number[]) =>
  ({
    case: {
      caseId: 'CASE-1',
      version: 1,
      reportedAt: '2026-11-02T12:00:00.000Z',
      victims: [],
      reportedTransfers,
    },
    seeds: [],
    unmatchedPayments: unmatched,
    transfers: [],
    accounts: new Map(),
    terminalHubs: new Map(),
    truncated: false,
  }) satisfies ProceedsSubgraph;
const amount = { amountMinor: '3000000', currency: 'THB', scale: 2 };

describe(pendingPaymentsOf.name, () => {
  it('keeps only the payments not found: by the id the report named, else the window they can match in', () => {
    const pending = pendingPaymentsOf(
      subgraph(
        [
          { transferId: 'bank:BANKA:found' },
          { transferId: 'bank:BANKA:t9' },
          { amount, paidAt: '2026-11-02T09:00:00.000Z' },
          { amount },
        ],
        [1, 2, 3],
      ),
      limits,
    );

    expect(pending).toEqual([
      { transferId: 'bank:BANKA:t9' },
      { fromMs: Date.parse('2026-11-02T08:30:00.000Z'), untilMs: Date.parse('2026-11-02T09:30:00.000Z') },
      // No time given: any time within the horizon before the report.
      { fromMs: Date.parse('2026-11-01T12:00:00.000Z'), untilMs: Date.parse('2026-11-02T12:00:00.000Z') },
    ]);
  });
});

describe(couldSettle.name, () => {
  const window = {
    fromMs: Date.parse('2026-11-02T08:30:00.000Z'),
    untilMs: Date.parse('2026-11-02T09:30:00.000Z'),
  };

  it('matches a named payment only by its id', () => {
    expect(
      couldSettle({ transferId: 't9' }, { transferId: 't9', bookedAt: '2026-01-01T00:00:00.000Z' }),
    ).toBe(true);
    expect(
      couldSettle({ transferId: 't9' }, { transferId: 't8', bookedAt: '2026-11-02T09:00:00.000Z' }),
    ).toBe(false);
  });

  it('matches a payment known by amount and time only inside its window, both ends included', () => {
    expect(couldSettle(window, { transferId: 'x', bookedAt: '2026-11-02T08:30:00.000Z' })).toBe(true);
    expect(couldSettle(window, { transferId: 'x', bookedAt: '2026-11-02T09:30:00.000Z' })).toBe(true);
    // The victim's rent the week after, or their salary the day before, is not the payment.
    expect(couldSettle(window, { transferId: 'x', bookedAt: '2026-11-02T09:30:00.001Z' })).toBe(false);
    expect(couldSettle(window, { transferId: 'x', bookedAt: '2026-11-01T09:00:00.000Z' })).toBe(false);
  });
});
