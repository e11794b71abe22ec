import type { BankTransferReceived } from '@scamflow/contracts';

const MINUTE_MS = 60_000;

/**
 * Builds a spec's bank transfers: ids and account ids suffixed with the run id (specs share the servers), booked
 * `minutes` after `baseMs`, in THB, debtor at `debtorBank` and creditor at `creditorBank` (the same by default).
 */
export const bankTransfers =
  (run: string, baseMs: number, debtorBank: string, creditorBank: string = debtorBank) =>
  (id: string, from: string, to: string, value: string, minutes: number): BankTransferReceived => ({
    schemaVersion: 1,
    reportedBy: debtorBank,
    transferId: `${id}-${run}`,
    bookedAt: new Date(baseMs + minutes * MINUTE_MS).toISOString(),
    amount: { value, currency: 'THB' },
    debtor: { accountId: `${from}-${run}`, bankId: debtorBank, country: 'TH' },
    creditor: { accountId: `${to}-${run}`, bankId: creditorBank, country: 'TH' },
  });
