import {
  BankTransferReceivedSchema,
  TOPICS,
  VaTransferReceivedSchema,
  type ParseResult,
  type TransferAccepted,
} from '@scamflow/contracts';
import { mapBankTransfer } from '../../../apps/ingest-gateway/src/bank-transfer.mapper';
import { mapVaTransfer } from '../../../apps/ingest-gateway/src/va-transfer.mapper';

const LIMITS = { maxFutureSkewMs: Number.MAX_SAFE_INTEGER, maxAmountMajor: 10n ** 13n };
const SOURCE = { topic: 'bench', partition: 0, offset: '0' };

/** The canonical transfer the gateway makes of a simulated feed event (same mapper), or why there is none. */
export const canonicalTransferOf = (
  topic: string,
  event: unknown,
  now: Date,
): ParseResult<TransferAccepted> | undefined => {
  if (topic === TOPICS.bankTransferReceived) {
    const parsed = BankTransferReceivedSchema.safeParse(event);
    return parsed.success
      ? mapBankTransfer(parsed.data, { ...SOURCE, topic }, LIMITS, now)
      : { ok: false, reason: parsed.error.message };
  }
  if (topic === TOPICS.vaTransferReceived) {
    const parsed = VaTransferReceivedSchema.safeParse(event);
    return parsed.success
      ? mapVaTransfer(parsed.data, { ...SOURCE, topic }, LIMITS, now)
      : { ok: false, reason: parsed.error.message };
  }
  return undefined;
};
