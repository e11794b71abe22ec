import type { AlertRaised } from '@scamflow/contracts';

/** Below the broker's 1 MiB message limit with room for headers and the key. */
export const MAX_ALERT_BYTES = 900 * 1024;

const sizeOf = (alert: AlertRaised): number => Buffer.byteLength(JSON.stringify(alert), 'utf8');

/**
 * Shortens an alert's evidence lists until it fits one Kafka message, so a huge trace can never stall the
 * publishing consumer. Lists keep their first entries (detectors put the most important first: holders by
 * amount, path edges from the victim) and a fact says what was cut; the whole trace stays in the graph.
 */
export const fitAlert = (alert: AlertRaised, maxBytes: number = MAX_ALERT_BYTES): AlertRaised => {
  if (sizeOf(alert) <= maxBytes) return alert;
  const totals = {
    edges: alert.evidence.edges.length,
    ledger: alert.tracing?.ledger.length ?? 0,
    holders: alert.tracing?.holders.length ?? 0,
    transfers: alert.evidence.inboundTransferIds.length + alert.evidence.outboundTransferIds.length,
  };
  let fitted = alert;
  for (let keep = 1_000; keep >= 1; keep = Math.floor(keep / 2)) {
    const tracing = alert.tracing && {
      ...alert.tracing,
      ledger: alert.tracing.ledger.slice(0, keep),
      holders: alert.tracing.holders.slice(0, keep),
      untraceable: alert.tracing.untraceable.slice(0, keep),
    };
    fitted = {
      ...alert,
      involved: alert.involved.slice(0, keep),
      evidence: {
        inboundTransferIds: alert.evidence.inboundTransferIds.slice(0, keep),
        outboundTransferIds: alert.evidence.outboundTransferIds.slice(0, keep),
        counterparties: alert.evidence.counterparties.slice(0, keep),
        edges: alert.evidence.edges.slice(0, keep),
      },
      ...(tracing ? { tracing } : {}),
      facts: [
        ...alert.facts,
        {
          name: 'evidenceTruncated',
          description:
            'evidence lists shortened to fit one message (first entries kept); the full trace is in the graph',
          value:
            `edges ${Math.min(keep, totals.edges)}/${totals.edges}, ledger ${Math.min(keep, totals.ledger)}/${totals.ledger}, ` +
            `holders ${Math.min(keep, totals.holders)}/${totals.holders}, transfers ${Math.min(2 * keep, totals.transfers)}/${totals.transfers}`,
          threshold: `<= ${maxBytes} bytes per alert`,
          fired: true,
        },
      ],
    };
    if (sizeOf(fitted) <= maxBytes) return fitted;
  }
  return fitted;
};

/**
 * The alert fitted to one message (`fitAlert`) and its JSON text, stringified once for both the check and the
 * publish (or given, when the caller has it already).
 */
export const fitAlertText = (
  alert: AlertRaised,
  maxBytes: number = MAX_ALERT_BYTES,
  text: string = JSON.stringify(alert),
): { alert: AlertRaised; text: string } => {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { alert, text };
  const fitted = fitAlert(alert, maxBytes);
  return { alert: fitted, text: JSON.stringify(fitted) };
};
