import type { ProceedsCase, ProceedsSubgraph } from './proceeds-graph';

/**
 * A victim's reported payment the graph did not hold when the case was traced. Until it is found the victim's
 * account is watched (what is pending: the transfer the report named, or the window a payment known by amount
 * and time can match in).
 */
export interface PendingPayment {
  /** The canonical transfer id the report named. */
  readonly transferId?: string;
  /** Otherwise, when a transfer of the reported amount can have been booked (inclusive). */
  readonly fromMs?: number;
  readonly untilMs?: number;
}

export interface PaymentMatchLimits {
  /** A payment known by amount and time matches a transfer of that amount within ± this of the time given. */
  readonly paymentMatchWindowMs: number;
  /** Without a time, the payment was made at some point this long before the report. */
  readonly horizonMs: number;
}

/** When a payment known by amount can have been booked: around the time the victim gave, else before the report. */
export const reportedPaymentWindow = (
  payment: ProceedsCase['reportedTransfers'][number],
  reportedAt: string,
  limits: PaymentMatchLimits,
): { fromMs: number; untilMs: number } => {
  const reportedAtMs = Date.parse(reportedAt);
  const paidMs = payment.paidAt ? Date.parse(payment.paidAt) : undefined;
  return paidMs === undefined
    ? { fromMs: reportedAtMs - limits.horizonMs, untilMs: reportedAtMs }
    : { fromMs: paidMs - limits.paymentMatchWindowMs, untilMs: paidMs + limits.paymentMatchWindowMs };
};

/** The subgraph's reported payments not found in the graph, as what can still settle each. */
export const pendingPaymentsOf = (subgraph: ProceedsSubgraph, limits: PaymentMatchLimits): PendingPayment[] =>
  subgraph.unmatchedPayments.flatMap((index): PendingPayment[] => {
    const payment = subgraph.case.reportedTransfers[index];
    if (!payment) return [];
    if (payment.transferId) return [{ transferId: payment.transferId }];
    return [reportedPaymentWindow(payment, subgraph.case.reportedAt, limits)];
  });

/**
 * Whether a transfer of the watched victim can be one of the pending payments: the very transfer the report
 * named, or one booked inside a pending payment's window (the amount is compared when the case is traced).
 */
export const couldSettle = (
  pending: readonly PendingPayment[],
  transfer: { readonly transferId: string; readonly bookedAt: string },
): boolean => {
  const atMs = Date.parse(transfer.bookedAt);
  return pending.some((p) =>
    p.transferId !== undefined
      ? p.transferId === transfer.transferId
      : p.fromMs !== undefined && p.untilMs !== undefined && atMs >= p.fromMs && atMs <= p.untilMs,
  );
};
