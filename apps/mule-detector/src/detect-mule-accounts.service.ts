import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { TransferAcceptedSchema, type AccountRef, type TransferAccepted } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { AccountFlowRepository, AccountProfileRepository, type FlowToRecord } from '@scamflow/rolling-state';
import { evaluateMuleAccountAt, minLegsToFire } from './evaluate-mule-account';
import { isJudged } from './hub-policy';
import {
  MULE_DETECTOR_CONFIG,
  muleDetectionPlanOf,
  type MuleDetectionPlan,
  type MuleDetectorConfig,
} from './mule-detector.config';

const refOf = (a: AccountRef) => ({
  institutionId: a.institutionId,
  accountId: a.accountId,
  country: a.country,
});

/** The debtor's reported balance is kept only when it is in the transfer's own currency and scale. */
const flowOf = (t: TransferAccepted, plan: MuleDetectionPlan): FlowToRecord => {
  const balance = t.debtorBalanceAfter;
  const sameAsset = balance?.currency === t.amount.currency && balance.scale === t.amount.scale;
  return {
    transferId: t.transferId,
    debtorKey: t.debtor.accountKey,
    creditorKey: t.creditor.accountKey,
    debtor: refOf(t.debtor),
    creditor: refOf(t.creditor),
    creditorPeakWindowMs: plan.peakWindowMsFor(t.creditor.institutionId, 'in'),
    debtorPeakWindowMs: plan.peakWindowMsFor(t.debtor.institutionId, 'out'),
    amountMinor: t.amount.amountMinor,
    currency: t.amount.currency,
    scale: t.amount.scale,
    atMs: Date.parse(t.bookedAt),
    ...(balance && sameAsset ? { debtorBalanceAfterMinor: balance.amountMinor } : {}),
  };
};

/**
 * Updates each account's rolling flows in Redis (once per transfer id), reads the touched accounts' profiles and
 * then the flows of those the detectors judge (hubs of a skipped type are never read) and the reported types of
 * whom they paid (a merchant is paid for goods, not sent money on), runs every mule detector
 * on them, and hands the drafts to the alert issuer, which raises each once and versions it as evidence grows.
 */
@Injectable()
export class DetectMuleAccountsService {
  private readonly plan: MuleDetectionPlan;

  constructor(
    @Inject(AccountFlowRepository) private readonly flows: AccountFlowRepository,
    @Inject(AccountProfileRepository) private readonly profiles: AccountProfileRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(MULE_DETECTOR_CONFIG) private readonly config: MuleDetectorConfig,
  ) {
    this.plan = muleDetectionPlanOf(config);
  }

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      TransferAcceptedSchema,
      this.config.MULE_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    if (parsed.length === 0) return;

    const transfers = parsed.map((p) => p.value);
    // A leg older than the retention (longest window + allowed lateness) before its account's latest event is
    // refused as too late: it could no longer change any window, and accepting it could count it twice.
    await this.flows.record(
      transfers.map((t) => flowOf(t, this.plan)),
      {
        retentionMs: this.plan.retentionMs,
        ...this.plan.memory,
      },
    );

    // Every touched account is re-evaluated (not only those of new transfers): if a previous attempt
    // crashed after recording but before publishing, the retry still raises the alert. Allow-listed
    // accounts are never read.
    const { allowListedAccountKeys, allowListedInstitutionIds } = this.plan.rulesFor('').hubs;
    const touched = new Map<string, AccountRef>();
    // Windows end at each of the batch's event times on the account (a replay brings many days at once).
    const windowEnds = new Map<string, number[]>();
    for (const t of transfers) {
      for (const account of [t.creditor, t.debtor]) {
        if (allowListedAccountKeys.has(account.accountKey)) continue;
        if (allowListedInstitutionIds.has(account.institutionId)) continue;
        touched.set(account.accountKey, account);
        windowEnds.set(account.accountKey, [
          ...(windowEnds.get(account.accountKey) ?? []),
          Date.parse(t.bookedAt),
        ]);
      }
    }
    if (touched.size === 0) return;
    const oldest = Math.min(...transfers.map((t) => Date.parse(t.bookedAt))) - this.plan.retentionMs;
    // Profiles first: an account whose reported type the detectors never judge (a remittance company, an
    // exchange's omnibus account: the busiest hubs, their windows at the per-account cap) is not read at all.
    const profiles = await this.profiles.read([...touched.keys()]);
    const judged = [...touched].filter(([accountKey, subject]) =>
      isJudged(
        subject,
        profiles.get(accountKey)?.accountType,
        this.plan.rulesFor(subject.institutionId).hubs,
      ),
    );
    if (judged.length === 0) return;
    // An account holding fewer legs than any detector needs to fire raises nothing: it is not read (most touched
    // accounts of a day's feed hold one or two legs).
    const legs = await this.flows.countLegs(judged.map(([accountKey]) => accountKey));
    const enough = judged.filter(
      ([accountKey, subject]) =>
        (legs.get(accountKey) ?? 0) >= minLegsToFire(this.plan.rulesFor(subject.institutionId)),
    );
    if (enough.length === 0) return;
    const states = await this.flows.read(
      enough.map(([accountKey]) => accountKey),
      oldest,
    );

    // The reported types of whom they paid: a payment to a merchant is spending, not money sent on.
    const payees = new Set<string>();
    for (const state of states.values()) for (const f of state.outflows) payees.add(f.counterpartyKey);
    const unread = [...payees].filter((key) => !profiles.has(key) && !touched.has(key));
    const payeeProfiles = await this.profiles.read(unread);
    const typeOf = (key: string) => (profiles.get(key) ?? payeeProfiles.get(key))?.accountType;

    const drafts = enough.flatMap(([accountKey, subject]) => {
      const state = states.get(accountKey);
      const profile = profiles.get(accountKey);
      if (!state) return [];
      const counterpartyTypes = new Map<string, string>();
      for (const f of state.outflows) {
        const type = typeOf(f.counterpartyKey);
        if (type !== undefined) counterpartyTypes.set(f.counterpartyKey, type);
      }
      return evaluateMuleAccountAt(
        { subject, state, counterpartyTypes, ...(profile ? { profile } : {}) },
        this.plan.rulesFor(subject.institutionId),
        windowEnds.get(accountKey) ?? [],
      );
    });
    await this.alerts.issue(drafts, now);
  }
}
