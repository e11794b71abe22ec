import { AlertRaisedSchema, TYPOLOGIES, type AlertRaised } from '@scamflow/contracts';
import { fitAlert, fitAlertText } from './fit-alert';

const money = { amountMinor: '100', currency: 'USD', scale: 2 };
const victim = {
  accountKey: 'BANKA:victim',
  accountId: 'victim',
  institutionId: 'BANKA',
  country: 'TH',
  role: 'victim' as const,
};

const alertWithEdges = (count: number): AlertRaised => {
  const edges = Array.from({ length: count }, (_, i) => ({
    transferId: `bank:BANKA:transfer-${String(i).padStart(6, '0')}`,
    fromKey: `BANKA:from-${i}`,
    toKey: `BANKB:to-${i}`,
    bookedAt: '2026-11-23T02:00:00Z',
    amount: money,
  }));
  return {
    schemaVersion: 1,
    alertId: 'a1',
    version: 1,
    typology: TYPOLOGIES.crossBorderProceeds,
    subject: victim,
    involved: [victim],
    score: 0.9,
    severity: 'critical',
    summary: 'big trace',
    facts: [],
    evidence: { inboundTransferIds: [], outboundTransferIds: [], counterparties: [], edges },
    tracing: {
      preferredRule: 'fifo',
      victims: [],
      holders: [],
      ledger: edges.map((e) => ({ ...e, tainted: [{ rule: 'fifo', caseId: 'C1', amount: money }] })),
      untraceable: [],
    },
    trigger: { caseId: 'C1' },
    jurisdictions: ['TH'],
    institutions: ['BANKA'],
    firstSeenAt: '2026-11-23T02:00:00Z',
    lastSeenAt: '2026-11-23T02:00:00Z',
    raisedAt: '2026-11-23T03:00:00Z',
    status: 'open',
    recommendedActions: [],
  };
};

const bytes = (alert: AlertRaised) => Buffer.byteLength(JSON.stringify(alert));

describe(fitAlert.name, () => {
  it('leaves an alert that fits one message as it is', () => {
    const alert = alertWithEdges(10);
    expect(fitAlert(alert)).toBe(alert);
  });

  it('shortens a trace too big for one Kafka message, keeps the first entries and says what was cut', () => {
    const alert = alertWithEdges(8_000);
    expect(bytes(alert)).toBeGreaterThan(1024 * 1024);
    const fitted = fitAlert(alert);
    expect(bytes(fitted)).toBeLessThanOrEqual(900 * 1024);
    expect(AlertRaisedSchema.safeParse(fitted).success).toBe(true);
    expect(fitted.evidence.edges[0]).toEqual(alert.evidence.edges[0]);
    const fact = fitted.facts.find((f) => f.name === 'evidenceTruncated');
    expect(fact?.value).toContain(`edges ${fitted.evidence.edges.length}/8000`);
  });
});

describe(fitAlertText.name, () => {
  it('gives the text published: the alert itself when it fits, the shortened one when it does not', () => {
    for (const alert of [alertWithEdges(10), alertWithEdges(8_000)]) {
      const { alert: published, text } = fitAlertText(alert);
      expect(published).toEqual(fitAlert(alert));
      expect(JSON.parse(text)).toEqual(published);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(900 * 1024);
    }
  });
});
