import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import {
  AccountFactObservedSchema,
  accountKeyOf,
  type AlertDraft,
  type IdentifierSeen,
} from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import {
  IdentifierIndexRepository,
  KnownMuleRepository,
  type AccountIdentifiers,
} from '@scamflow/rolling-state';
import type { NetworkAccount } from './flow-hop';
import { buildSharedIdentifierAlert } from './network-alerts';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';
import {
  evaluateSharedIdentifiers,
  type SharedIdentifierInput,
  type SharedIdentifierRule,
} from './shared-identifier.detector';

const institutionOf = (accountKey: string): string | null => {
  const separator = accountKey.indexOf(':');
  return separator > 0 ? accountKey.slice(0, separator) : null;
};

const accountOf = (accountKey: string, country: string | null): NetworkAccount => ({
  accountKey,
  accountId: null,
  institutionId: institutionOf(accountKey),
  country,
  kind: null,
});

/** The detector's view of one account's identifiers: each with its users and the other accounts on it. */
const inputsOf = (accountKey: string, known: AccountIdentifiers): SharedIdentifierInput[] =>
  known.identifiers.map((i) => ({
    identifierKey: i.identifierKey,
    identifierType: i.identifierKey.slice(0, i.identifierKey.indexOf(':')),
    users: i.users,
    sharers: i.accountKeys
      .filter((key) => key !== accountKey)
      .map((key) => ({ accountKey: key, institutionId: institutionOf(key) })),
  }));

/**
 * Shared identifiers from the Redis identifier index (fed by account facts), never from the graph: accounts
 * whose identifiers changed are evaluated, and the accounts sharing identifiers with any of them that is a
 * known mule (so a mule's new device, or an account newly named as a mule, reaches its neighbours).
 */
@Injectable()
export class DetectSharedIdentifiersService {
  private readonly rule: SharedIdentifierRule;

  constructor(
    @Inject(IdentifierIndexRepository) private readonly index: IdentifierIndexRepository,
    @Inject(KnownMuleRepository) private readonly knownMules: KnownMuleRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(NETWORK_DETECTOR_CONFIG) private readonly config: NetworkDetectorConfig,
  ) {
    this.rule = { maxAccountsPerIdentifier: config.SHARED_ID_MAX_ACCOUNTS_PER_IDENTIFIER };
  }

  /** Indexes the identifiers a batch of account facts saw, then evaluates the accounts they were seen on. */
  async recordFacts(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      AccountFactObservedSchema,
      this.config.NETWORK_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const seen = parsed.map((p) => p.value).filter((f): f is IdentifierSeen => f.kind === 'identifier-seen');
    if (seen.length === 0) return;
    const sightings = seen.map((f) => ({
      accountKey: accountKeyOf(f.institutionId, f.accountId),
      country: f.country,
      identifierKey: `${f.identifierType}:${f.identifierValue}`,
      seenAtMs: Date.parse(f.seenAt),
    }));
    await this.index.record(sightings, {
      maxAccountsPerIdentifier: this.rule.maxAccountsPerIdentifier,
      maxIdentifiersPerAccount: this.config.SHARED_ID_MAX_IDENTIFIERS_PER_ACCOUNT,
    });
    await this.execute([...new Set(sightings.map((s) => s.accountKey))], now);
  }

  async execute(accountKeys: readonly string[], now: Date = new Date()): Promise<void> {
    if (accountKeys.length === 0) return;
    const max = this.rule.maxAccountsPerIdentifier;
    const indexed = await this.index.identifiersOf(accountKeys, max);
    const sharersOf = (map: ReadonlyMap<string, AccountIdentifiers>) =>
      [...map.values()].flatMap((a) => a.identifiers.flatMap((i) => i.accountKeys));
    const known = await this.knownMules.find([...accountKeys, ...sharersOf(indexed)]);

    // Neighbours of the known mules among the given accounts are candidates too.
    const given = new Set(accountKeys);
    const neighbours = [
      ...new Set(
        [...indexed]
          .filter(([key]) => known.has(key))
          .flatMap(([, a]) => a.identifiers.flatMap((i) => i.accountKeys)),
      ),
    ].filter((key) => !given.has(key));
    const more = await this.index.identifiersOf(neighbours, max);
    for (const [key, mule] of await this.knownMules.find(sharersOf(more))) known.set(key, mule);

    const drafts: AlertDraft[] = [];
    for (const [accountKey, identifiers] of [...indexed, ...more]) {
      const subject = accountOf(accountKey, identifiers.country);
      const inputs = inputsOf(accountKey, identifiers);
      const finding = evaluateSharedIdentifiers(subject, inputs, known, this.rule);
      if (!finding.fired) continue;
      const linked = new Set(finding.matches.map((m) => m.identifierKey));
      const sightings = identifiers.identifiers.filter((i) => linked.has(i.identifierKey));
      const sharers = await this.countriesOf(finding.matches.map((m) => m.mule.accountKey));
      const nowIso = now.toISOString();
      const first = Math.min(...sightings.map((i) => i.firstSeenMs));
      const last = Math.max(...sightings.map((i) => i.lastSeenMs));
      drafts.push(
        buildSharedIdentifierAlert(subject, finding, sharers, {
          firstSeenAt: Number.isFinite(first) ? new Date(first).toISOString() : nowIso,
          lastSeenAt: Number.isFinite(last) ? new Date(last).toISOString() : nowIso,
        }),
      );
    }
    await this.alerts.issue(drafts, now);
  }

  private async countriesOf(accountKeys: readonly string[]): Promise<Map<string, NetworkAccount>> {
    const indexed = await this.index.identifiersOf(accountKeys, 0);
    return new Map(accountKeys.map((key) => [key, accountOf(key, indexed.get(key)?.country ?? null)]));
  }
}
