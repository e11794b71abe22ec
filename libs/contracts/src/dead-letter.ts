/** Header names carried by every dead-lettered message; the value is always the original bytes, untouched. */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  rejectedAt: 'dlq-rejected-at',
  rejectedBy: 'dlq-rejected-by',
} as const;
