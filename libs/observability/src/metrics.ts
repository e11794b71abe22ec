import { Counter, Gauge, Histogram, register, type Registry } from 'prom-client';

/**
 * The pipeline's Prometheus series, registered once per process on prom-client's default registry (tests run
 * several services in one process: a second registration of a name would throw, so each is get-or-create).
 * Other libraries and apps record through the helpers below instead of building their own series.
 */
export const metricsRegistry: Registry = register;

const PREFIX = 'scamflow_';

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
  (register.getSingleMetric(PREFIX + name) as Counter<L> | undefined) ??
  new Counter({ name: PREFIX + name, help, labelNames: [...labelNames] });

const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
  (register.getSingleMetric(PREFIX + name) as Gauge<L> | undefined) ??
  new Gauge({ name: PREFIX + name, help, labelNames: [...labelNames] });

const histogram = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> =>
  (register.getSingleMetric(PREFIX + name) as Histogram<L> | undefined) ??
  new Histogram({ name: PREFIX + name, help, labelNames: [...labelNames], buckets });

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Series names, for dashboards and specs. */
export const METRIC_NAMES = {
  messagesConsumed: `${PREFIX}messages_consumed_total`,
  batchDuration: `${PREFIX}batch_duration_seconds`,
  batchFailures: `${PREFIX}batch_failures_total`,
  consumerLag: `${PREFIX}consumer_lag_messages`,
  consumerCrashes: `${PREFIX}consumer_crashes_total`,
  deadLetters: `${PREFIX}dead_letters_total`,
  alertsIssued: `${PREFIX}alerts_issued_total`,
  alertDrafts: `${PREFIX}alert_drafts_total`,
  neo4jTransaction: `${PREFIX}neo4j_transaction_seconds`,
  retraces: `${PREFIX}retraces_total`,
  carriedTransfers: `${PREFIX}carried_transfers_total`,
  quarantinedValues: `${PREFIX}quarantined_values_total`,
} as const;

const series = () => ({
  messagesConsumed: counter('messages_consumed_total', 'Messages handled, per topic', ['service', 'topic']),
  batchDuration: histogram(
    'batch_duration_seconds',
    'Time to handle one fetched batch, per topic',
    ['service', 'topic'],
    SECONDS,
  ),
  batchFailures: counter('batch_failures_total', 'Batches whose handler failed (retried)', [
    'service',
    'topic',
    'errorClass',
  ]),
  consumerLag: gauge('consumer_lag_messages', 'Messages behind the high watermark after the last batch', [
    'service',
    'topic',
    'partition',
  ]),
  consumerCrashes: counter('consumer_crashes_total', 'kafkajs consumer crashes, by whether it restarts', [
    'service',
    'restart',
  ]),
  deadLetters: counter('dead_letters_total', 'Messages sent to a dead-letter topic, by reason', [
    'service',
    'topic',
    'reason',
  ]),
  alertsIssued: counter('alerts_issued_total', 'Alert versions published, by typology and severity', [
    'service',
    'typology',
    'severity',
  ]),
  alertDrafts: counter(
    'alert_drafts_total',
    'Alert drafts the issuer decided on, by outcome (new, update, unchanged: same content as issued, stale: less evidence)',
    ['service', 'outcome'],
  ),
  neo4jTransaction: histogram(
    'neo4j_transaction_seconds',
    'Neo4j transaction time, per operation',
    ['service', 'operation'],
    SECONDS,
  ),
  retraces: counter('retraces_total', 'Victim cases traced again from the graph, by why', [
    'service',
    'reason',
  ]),
  carriedTransfers: counter(
    'carried_transfers_total',
    'Committed transfers applied to victim cases from their stored state (no graph re-trace), by how they came',
    ['service', 'via'],
  ),
  quarantinedValues: counter('quarantined_values_total', 'Corrupt stored values moved aside', [
    'service',
    'kind',
  ]),
});

let created: ReturnType<typeof series> | undefined;
/** The process's series (created on first use). */
export const pipelineMetrics = (): ReturnType<typeof series> => (created ??= series());

/** Name of the service in this process, for the `service` label (set once by the observability module). */
let serviceName = 'unknown';
export const setMetricsServiceName = (name: string): void => {
  serviceName = name;
};
export const metricsServiceName = (): string => serviceName;

/** Dead-letter reasons are free text; the label keeps their first clause so the series stay few. */
export const reasonLabel = (reason: string): string =>
  (reason.split(/[:\n(]/, 1)[0] ?? reason).trim().slice(0, 60) || 'unknown';

export const recordDeadLetters = (topic: string, reasons: readonly string[], service = serviceName): void => {
  for (const reason of reasons) {
    pipelineMetrics().deadLetters.inc({ service, topic, reason: reasonLabel(reason) });
  }
};

export const recordAlertsIssued = (
  alerts: readonly { typology: string; severity: string }[],
  service = serviceName,
): void => {
  for (const { typology, severity } of alerts) {
    pipelineMetrics().alertsIssued.inc({ service, typology, severity });
  }
};

/** What came of each alert draft: a first version, a new version, or nothing (unchanged or stale). */
export const recordAlertDrafts = (
  outcomes: readonly ('new' | 'update' | 'unchanged' | 'stale')[],
  service = serviceName,
): void => {
  for (const outcome of outcomes) pipelineMetrics().alertDrafts.inc({ service, outcome });
};

/** Cases traced again from the graph, by reason (`late`, `unit`, `state`, `victim-payment`; reports are not re-traces). */
export const recordRetraces = (reasons: readonly string[], service = serviceName): void => {
  for (const reason of reasons) pipelineMetrics().retraces.inc({ service, reason });
};

/**
 * Transfers carried into cases' stored state: `stream` as they were committed, `catch-up` read from the graph,
 * `rewind` applied again after a late transfer rewound their case.
 */
export const recordCarriedTransfers = (
  via: 'stream' | 'catch-up' | 'rewind',
  count: number,
  service = serviceName,
): void => {
  if (count > 0) pipelineMetrics().carriedTransfers.inc({ service, via }, count);
};

export const recordQuarantined = (kind: string, service = serviceName): void => {
  pipelineMetrics().quarantinedValues.inc({ service, kind });
};

/** Times one Neo4j transaction (or any awaited unit of graph work) under `operation`. */
export const timeNeo4jTransaction = async <T>(
  operation: string,
  work: () => Promise<T>,
  service = serviceName,
): Promise<T> => {
  const end = pipelineMetrics().neo4jTransaction.startTimer({ service, operation });
  try {
    return await work();
  } finally {
    end();
  }
};
