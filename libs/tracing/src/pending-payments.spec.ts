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
  const pending = [
    { transferId: 'bank:BANKA:t9' },
    { fromMs: Date.parse('2026-11-02T08:30:00.000Z'), untilMs: Date.parse('2026-11-02T09:30:00.000Z') },
  ];

  it('takes the transfer the report named, and any transfer booked inside a pending window', () => {
    expect(couldSettle(pending, { transferId: 'bank:BANKA:t9', bookedAt: '2026-11-05T00:00:00.000Z' })).toBe(
      true,
    );
    expect(couldSettle(pending, { transferId: 'bank:BANKA:x', bookedAt: '2026-11-02T09:30:00.000Z' })).toBe(
      true,
    );
  });

  it('ignores the victim’s other transfers: another id outside every window, or nothing pending', () => {
    expect(couldSettle(pending, { transferId: 'bank:BANKA:x', bookedAt: '2026-11-02T09:30:00.001Z' })).toBe(
      false,
    );
    expect(couldSettle([], { transferId: 'bank:BANKA:t9', bookedAt: '2026-11-02T09:00:00.000Z' })).toBe(
      false,
    );
  });
});
