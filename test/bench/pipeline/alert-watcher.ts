import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { z } from 'zod';
import { TOPICS } from '@scamflow/contracts';

/**
 * The part of an alert the benchmark reads. Deliberately loose (not the strict contract schema): detectors
 * added later may carry more fields, and every alert still counts.
 */
const AlertSeenSchema = z.object({
  alertId: z.string(),
  version: z.number().int().default(1),
  typology: z.string(),
  subject: z.object({ accountKey: z.string() }),
  involved: z.array(z.object({ accountKey: z.string(), role: z.string() })).optional(),
  evidence: z.unknown().optional(),
});

/** Roles a proceeds alert names as the criminal side (the victim and bystanders are not flagged). */
const FLAGGED_ROLES = new Set(['mule', 'collector', 'off-ramp', 'hop-wallet', 'beneficiary']);

export interface SeenAlert {
  /** `performance.now()` when the benchmark received it. */
  readonly receivedAtMs: number;
  readonly alertId: string;
  readonly version: number;
  readonly typology: string;
  readonly accountKey: string;
  /**
   * Accounts the alert flags as suspicious: the subject of a mule alert; the involved accounts in a criminal
   * role of a proceeds alert (its subject is the victim).
   */
  readonly flaggedAccounts: readonly string[];
  /** Every string in the alert's evidence (transfer ids among them, whatever the evidence's shape). */
  readonly evidenceStrings: readonly string[];
}

const stringsIn = (value: unknown, out: string[] = []): string[] => {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) stringsIn(v, out);
  return out;
};

/** Reads detection.alert.raised.v1 from the end, stamping each alert with its arrival time. */
export class AlertWatcher {
  readonly alerts: SeenAlert[] = [];
  private readonly consumer: Consumer;
  private unreadable = 0;

  constructor(
    brokers: readonly string[],
    readonly groupId: string,
  ) {
    this.consumer = new Kafka({
      clientId: groupId,
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [TOPICS.alertRaised], fromBeginning: false });
    await this.consumer.run({
      eachBatch: ({ batch }) => {
        const receivedAtMs = performance.now();
        for (const message of batch.messages) {
          let parsed: z.infer<typeof AlertSeenSchema>;
          try {
            parsed = AlertSeenSchema.parse(JSON.parse(message.value?.toString('utf8') ?? ''));
          } catch {
            this.unreadable += 1;
            continue;
          }
          this.alerts.push({
            receivedAtMs,
            alertId: parsed.alertId,
            version: parsed.version,
            typology: parsed.typology,
            accountKey: parsed.subject.accountKey,
            flaggedAccounts: parsed.typology.startsWith('proceeds.')
              ? (parsed.involved ?? []).filter((a) => FLAGGED_ROLES.has(a.role)).map((a) => a.accountKey)
              : [parsed.subject.accountKey],
            evidenceStrings: stringsIn(parsed.evidence),
          });
        }
        return Promise.resolve();
      },
    });
  }

  get unreadableCount(): number {
    return this.unreadable;
  }

  /** Alerts received at or after `fromMs` (and before `toMs`). */
  between(fromMs: number, toMs = Number.POSITIVE_INFINITY): SeenAlert[] {
    return this.alerts.filter((a) => a.receivedAtMs >= fromMs && a.receivedAtMs < toMs);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
