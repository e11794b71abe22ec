import { randomUUID } from 'node:crypto';
import { AlertRaisedSchema, type AlertRaised } from '@scamflow/contracts';

/** Ids unique to one spec run, so runs on shared servers never see each other's alerts. */
export const runIds = () => {
  const run = randomUUID().slice(0, 8);
  return {
    run,
    /** The reporting bank of the alerts' subject. */
    ownBank: `OWN${run}`,
    /** Another bank whose customers the own bank must not see. */
    otherBank: `OTH${run}`,
    caseId: `case-${run}`,
  };
};

export interface AlertFixtureOptions {
  readonly alertId: string;
  readonly version?: number;
  readonly ownBank: string;
  readonly otherBank: string;
  readonly caseId?: string;
  readonly severity?: AlertRaised['severity'];
  readonly score?: number;
  readonly raisedAt?: string;
  readonly summary?: string;
}

/**
 * A proceeds alert: money from a victim at the other bank reached a mule at the own bank. The victim's account
 * (other bank) appears in involved accounts, evidence edges, tracing and the summary.
 */
export const alertFixture = (options: AlertFixtureOptions): AlertRaised => {
  const { ownBank, otherBank } = options;
  const mule = {
    accountKey: `${ownBank}:MULE0001`,
    accountId: 'MULE0001',
    institutionId: ownBank,
    country: 'TH',
  };
  const victim = {
    accountKey: `${otherBank}:VICT7777`,
    accountId: 'VICT7777',
    institutionId: otherBank,
    country: 'TH',
    holderId: `holder-${otherBank}`,
  };
  const amount = { amountMinor: '1500000', currency: 'THB', scale: 2 };
  const caseId = options.caseId ?? `case-${options.alertId}`;
  return AlertRaisedSchema.parse({
    schemaVersion: 1,
    alertId: options.alertId,
    version: options.version ?? 1,
    typology: 'proceeds.cross-border',
    subject: { ...mule, role: 'mule' },
    involved: [
      { ...mule, role: 'mule' },
      { ...victim, role: 'victim' },
    ],
    score: options.score ?? 0.8,
    severity: options.severity ?? 'high',
    summary: options.summary ?? `Victim ${victim.accountKey} paid 15000.00 THB traced to ${mule.accountKey}.`,
    facts: [{ name: 'traced', description: 'traced share', value: '1.0', threshold: '0.01', fired: true }],
    evidence: {
      inboundTransferIds: [`bank:${otherBank}:T1`],
      outboundTransferIds: [],
      counterparties: [victim.accountKey],
      edges: [
        {
          transferId: `bank:${otherBank}:T1`,
          fromKey: victim.accountKey,
          toKey: mule.accountKey,
          bookedAt: '2026-11-23T02:00:00Z',
          amount,
        },
      ],
    },
    tracing: {
      preferredRule: 'fifo',
      victims: [
        {
          caseId,
          caseVersion: 1,
          victimAccountKeys: [victim.accountKey],
          reportedAt: '2026-11-23T03:00:00Z',
          seeded: amount,
        },
      ],
      holders: [
        {
          account: { ...mule, role: 'mule' },
          amounts: [{ rule: 'fifo', caseId, amount }],
          crossBorderReasons: [],
          librApplied: false,
        },
      ],
      ledger: [],
      untraceable: [],
    },
    trigger: { caseId },
    jurisdictions: ['TH'],
    institutions: [ownBank, otherBank],
    firstSeenAt: '2026-11-23T02:00:00Z',
    lastSeenAt: '2026-11-23T02:00:00Z',
    raisedAt: options.raisedAt ?? new Date().toISOString(),
    status: 'open',
    recommendedActions: [
      {
        kind: 'freeze-request',
        institutionId: ownBank,
        accountKey: mule.accountKey,
        amount,
        rule: 'fifo',
        rationale: `Freeze ${mule.accountKey}`,
      },
    ],
  });
};
