import type { GraphCommitted, TransferAccepted } from '@scamflow/contracts';
import type { OutgoingMessage } from '@scamflow/messaging';

/** Transfers per notification: small messages, so consumers re-read few rows per message. */
const TRANSFERS_PER_MESSAGE = 1_000;

/** Notifications that these transfers are committed to the graph. */
export const transfersCommittedMessages = (
  transfers: readonly TransferAccepted[],
  committedAt: Date,
): OutgoingMessage[] => {
  const messages: OutgoingMessage[] = [];
  for (let i = 0; i < transfers.length; i += TRANSFERS_PER_MESSAGE) {
    const value: GraphCommitted = {
      schemaVersion: 1,
      kind: 'transfers',
      committedAt: committedAt.toISOString(),
      transfers: transfers.slice(i, i + TRANSFERS_PER_MESSAGE).map((t) => ({
        transferId: t.transferId,
        debtorKey: t.debtor.accountKey,
        creditorKey: t.creditor.accountKey,
        bookedAt: t.bookedAt,
      })),
    };
    messages.push({ key: null, value: JSON.stringify(value) });
  }
  return messages;
};
