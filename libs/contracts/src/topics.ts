/**
 * Every Kafka topic the system reads or writes, in one place.
 * Names follow `<domain>.<entity>.<event>.v<major>`; each input topic has a `<topic>.dlq` beside it.
 */
export const TOPICS = {
  /** Bank transfer feed, JSON, produced by banks. Key: debtor account id. */
  bankTransferReceived: 'bank.transfer.received.v1',
  /** ISO 20022 pacs.008 FI-to-FI customer credit transfers, XML, produced by banks. Key: message id. */
  bankPacs008Received: 'bank.pacs008.received.v1',
  /** Virtual-asset transfers (on-chain and VASP ledger), JSON, produced by VASPs and chain monitors. */
  vaTransferReceived: 'vasp.transfer.received.v1',
  /** Account facts: opened/closed, holder, identifiers seen (device, phone, IP). Key: account. */
  accountFactObserved: 'account.fact.observed.v1',
  /** Victim reports from hotlines, police and bank complaints. Key: case id. */
  victimReportFiled: 'case.victim-report.filed.v1',
  /** FX reference rates. Key: currency pair. */
  fxRatePublished: 'reference.fx-rate.published.v1',
  /** Validated, normalised transfers (one canonical shape for every rail). Key: creditor account key. */
  transferAccepted: 'flow.transfer.accepted.v1',
  /** What graph-writer has committed to the graph (transfers, reports, facts). Key: none / case id. */
  graphCommitted: 'flow.graph.committed.v1',
  /** Alerts for FIUs and investigators. Key: alert subject. */
  alertRaised: 'detection.alert.raised.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const deadLetterTopicOf = (topic: Topic): `${Topic}.dlq` => `${topic}.dlq`;

/** Topics that services consume and therefore have a dead-letter topic beside them. */
export const INPUT_TOPICS: readonly Topic[] = [
  TOPICS.bankTransferReceived,
  TOPICS.bankPacs008Received,
  TOPICS.vaTransferReceived,
  TOPICS.accountFactObserved,
  TOPICS.victimReportFiled,
  TOPICS.fxRatePublished,
  TOPICS.transferAccepted,
  TOPICS.graphCommitted,
  TOPICS.alertRaised,
];

/** Which service consumes which topics (each handler is an `@EventPattern` on one of these). */
export const CONSUMED_TOPICS = {
  ingestGateway: [
    TOPICS.bankTransferReceived,
    TOPICS.bankPacs008Received,
    TOPICS.vaTransferReceived,
    TOPICS.fxRatePublished,
  ],
  graphWriter: [TOPICS.transferAccepted, TOPICS.accountFactObserved, TOPICS.victimReportFiled],
  muleDetector: [TOPICS.transferAccepted, TOPICS.accountFactObserved],
  proceedsTracer: [TOPICS.graphCommitted],
  networkDetector: [TOPICS.transferAccepted, TOPICS.accountFactObserved, TOPICS.alertRaised],
} as const satisfies Record<string, readonly Topic[]>;

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Retention in ms; -1 keeps forever (dead letters are evidence and are never dropped silently). */
  readonly retentionMs: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The topic list infra creates (idempotently) before services start. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: TOPICS.bankTransferReceived, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.bankPacs008Received, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.vaTransferReceived, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.accountFactObserved, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.victimReportFiled, partitions: 3, retentionMs: -1 },
  { name: TOPICS.fxRatePublished, partitions: 1, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.transferAccepted, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.graphCommitted, partitions: 6, retentionMs: 4 * WEEK_MS },
  { name: TOPICS.alertRaised, partitions: 3, retentionMs: -1 },
  ...INPUT_TOPICS.map((t) => ({ name: deadLetterTopicOf(t), partitions: 1, retentionMs: -1 })),
];
