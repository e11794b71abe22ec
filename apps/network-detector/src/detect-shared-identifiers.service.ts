import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import type { AlertDraft } from '@scamflow/contracts';
import { NetworkPatternRepository, type GraphAccount, type IdentifierLink } from '@scamflow/graph';
import { KnownMuleRepository } from '@scamflow/rolling-state';
import { buildSharedIdentifierAlert } from './network-alerts';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';
import { evaluateSharedIdentifiers, type SharedIdentifierRule } from './shared-identifier.detector';

/**
 * Re-evaluates accounts whose identifiers changed, and the accounts sharing identifiers with any of them that
 * is a known mule (so a mule's new device, or an account newly named as a mule, reaches its neighbours).
 */
@Injectable()
export class DetectSharedIdentifiersService {
  private readonly rule: SharedIdentifierRule;

  constructor(
    @Inject(NetworkPatternRepository) private readonly patterns: NetworkPatternRepository,
    @Inject(KnownMuleRepository) private readonly knownMules: KnownMuleRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(NETWORK_DETECTOR_CONFIG) config: NetworkDetectorConfig,
  ) {
    this.rule = { maxAccountsPerIdentifier: config.SHARED_ID_MAX_ACCOUNTS_PER_IDENTIFIER };
  }

  async execute(accountKeys: readonly string[], now: Date = new Date()): Promise<void> {
    if (accountKeys.length === 0) return;
    const max = this.rule.maxAccountsPerIdentifier;
    const links = await this.patterns.findSharedIdentifiers(accountKeys, max);
    const sharerKeys = (list: readonly IdentifierLink[]) =>
      list.flatMap((l) => l.sharers.map((s) => s.accountKey));
    const known = await this.knownMules.find([...accountKeys, ...sharerKeys(links)]);

    // Neighbours of the known mules among the given accounts are candidates too.
    const given = new Set(accountKeys);
    const neighbours = [
      ...new Set(
        links
          .filter((l) => known.has(l.account.accountKey))
          .flatMap((l) => l.sharers.map((s) => s.accountKey)),
      ),
    ].filter((key) => !given.has(key));
    const more = await this.patterns.findSharedIdentifiers(neighbours, max);
    for (const [key, mule] of await this.knownMules.find(sharerKeys(more))) known.set(key, mule);

    const bySubject = new Map<string, IdentifierLink[]>();
    for (const link of [...links, ...more]) {
      const list = bySubject.get(link.account.accountKey) ?? [];
      list.push(link);
      bySubject.set(link.account.accountKey, list);
    }
    const drafts: AlertDraft[] = [];
    for (const subjectLinks of bySubject.values()) {
      const subject = subjectLinks[0]!.account;
      const finding = evaluateSharedIdentifiers(subject, subjectLinks, known, this.rule);
      if (!finding.fired) continue;
      const sharers = new Map<string, GraphAccount>(
        subjectLinks.flatMap((l) => l.sharers.map((s) => [s.accountKey, s] as const)),
      );
      const linked = subjectLinks.filter((l) =>
        finding.matches.some((m) => m.identifierKey === l.identifierKey),
      );
      const times = linked
        .flatMap((l) => [l.firstSeenAt, l.lastSeenAt])
        .filter((t): t is string => t !== null);
      const nowIso = now.toISOString();
      drafts.push(
        buildSharedIdentifierAlert(subject, finding, sharers, {
          firstSeenAt: times.sort()[0] ?? nowIso,
          lastSeenAt: times.sort().at(-1) ?? nowIso,
        }),
      );
    }
    await this.alerts.issue(drafts, now);
  }
}
