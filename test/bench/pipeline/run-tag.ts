import { TOPICS } from '@scamflow/contracts';

/**
 * Makes a simulated event new to a long-lived graph: the producers' own ids (transfer, movement, tx hash,
 * fact, case) get a per-run suffix, so a second run of the same scenario and seed writes its transfers again
 * instead of being skipped as replays. Account ids are kept: accounts recur across runs as they would in life.
 * `tag` is hex, so it can extend a transaction hash.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

const suffix = (object: Json, field: string, tag: string, separator = '-'): void => {
  const value = object[field];
  if (typeof value === 'string') object[field] = `${value}${separator}${tag}`;
};

export const tagFeedEvent = (topic: string, event: Json, tag: string): Json => {
  switch (topic) {
    case TOPICS.bankTransferReceived:
      suffix(event, 'transferId', tag);
      break;
    case TOPICS.vaTransferReceived:
      suffix(event, 'movementId', tag);
      suffix(event, 'txHash', tag, '');
      break;
    case TOPICS.accountFactObserved:
      suffix(event, 'factId', tag);
      break;
    case TOPICS.victimReportFiled: {
      suffix(event, 'caseId', tag);
      const transfers = event['reportedTransfers'];
      if (Array.isArray(transfers)) {
        for (const t of transfers) {
          if (isObject(t) && isObject(t['reference'])) suffix(t['reference'], 'transferId', tag);
        }
      }
      break;
    }
    default:
      break;
  }
  return event;
};
