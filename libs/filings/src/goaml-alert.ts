import type { AlertRaised, Tracing, TracedHop, TracingRuleName } from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import { accountFromKey, type FilingAccount, type FilingTransfer } from './filing-model';
import type { GoamlActivityReport, GoamlReportInput, GoamlTransactionsReport } from './goaml-report';
import type { CaseFiling } from './case-filing';

/** What the graph adds to an alert: account details and each transfer's rail and tx hash. */
export interface FilingContext {
  readonly submittedAt: string;
  readonly accounts: readonly FilingAccount[];
  readonly transfers: ReadonlyMap<string, Pick<FilingTransfer, 'rail' | 'txHash'>>;
}

const money = (m: { amountMinor: string; scale: number; currency: string }) =>
  `${formatMinor(m.amountMinor, m.scale)} ${m.currency}`;

/** Every key named, resolved from the graph first, then the alert, then the key itself. */
const accountMap = (
  keys: Iterable<string>,
  known: readonly FilingAccount[],
  alert?: AlertRaised,
): Map<string, FilingAccount> => {
  const byKey = new Map<string, FilingAccount>();
  for (const account of alert?.involved ?? []) byKey.set(account.accountKey, account);
  for (const account of known)
    byKey.set(account.accountKey, { ...byKey.get(account.accountKey), ...account });
  const result = new Map<string, FilingAccount>();
  for (const key of keys) result.set(key, byKey.get(key) ?? accountFromKey(key));
  return result;
};

const tracedNote = (hop: TracedHop, rule: TracingRuleName, caseId?: string): string | undefined => {
  const traced = hop.tainted.filter((t) => t.rule === rule && (caseId === undefined || t.caseId === caseId));
  if (traced.length === 0) return undefined;
  return `traced victim money in this transfer (${rule}): ${traced.map((t) => money(t.amount)).join(', ')}`;
};

const transfersOf = (
  hops: readonly TracedHop[],
  context: FilingContext,
  note: (hop: TracedHop) => string | undefined,
): FilingTransfer[] =>
  [...hops]
    .sort((a, b) => a.bookedAt.localeCompare(b.bookedAt) || a.transferId.localeCompare(b.transferId))
    .map((hop) => ({
      transferId: hop.transferId,
      bookedAt: hop.bookedAt,
      fromKey: hop.fromKey,
      toKey: hop.toKey,
      amount: hop.amount,
      rail: context.transfers.get(hop.transferId)?.rail,
      txHash: context.transfers.get(hop.transferId)?.txHash,
      note: note(hop),
    }));

/** The holders and amounts of a trace in plain words, one line per holder, under the preferred rule. */
export const holdersNarrative = (tracing: Tracing, caseId?: string): string[] =>
  tracing.holders.flatMap((holder) => {
    const amounts = holder.amounts.filter(
      (a) => a.rule === tracing.preferredRule && (caseId === undefined || a.caseId === caseId),
    );
    if (amounts.length === 0 || amounts.every((a) => BigInt(a.amount.amountMinor) === 0n)) return [];
    const where = holder.crossBorderReasons.length > 0 ? ` (${holder.crossBorderReasons.join(', ')})` : '';
    return [
      `${holder.account.accountKey} at ${holder.account.institutionId}, ${holder.account.country}${where} holds ${amounts
        .map((a) => money(a.amount))
        .join(' + ')} under the ${tracing.preferredRule} rule.`,
    ];
  });

const alertNarrative = (alert: AlertRaised): string => {
  const fired = alert.facts
    .filter((f) => f.fired)
    .map((f) => `${f.description}: ${f.value} (threshold ${f.threshold})`);
  return [
    `${alert.summary}`,
    fired.length > 0 ? `Facts that fired: ${fired.join('; ')}.` : undefined,
    alert.tracing ? holdersNarrative(alert.tracing).join(' ') : undefined,
    `Detected as ${alert.typology}, score ${alert.score}, severity ${alert.severity}; first seen ${alert.firstSeenAt}, last seen ${alert.lastSeenAt}.`,
  ]
    .filter((line): line is string => line !== undefined && line !== '')
    .join(' ');
};

const actionText = (alert: AlertRaised): string | undefined =>
  alert.recommendedActions.length > 0
    ? alert.recommendedActions.map((a) => a.rationale).join(' ')
    : undefined;

/**
 * An alert as a goAML report: a proceeds alert (or any alert with a traced ledger) is an STR whose
 * transactions are the traced hops; a mule alert is a SAR whose activity names the subject and the other
 * suspected mules, with the facts that fired as the reason.
 */
export const goamlReportOfAlert = (alert: AlertRaised, context: FilingContext): GoamlReportInput => {
  const base = {
    entityReference: `${alert.alertId}/v${alert.version}`,
    submittedAt: context.submittedAt,
    reason: alertNarrative(alert),
    action: actionText(alert),
    typologies: [alert.typology],
  };
  const ledger = alert.tracing?.ledger ?? [];
  if (alert.typology.startsWith('proceeds.')) {
    const hops: TracedHop[] =
      ledger.length > 0 ? ledger : alert.evidence.edges.map((edge) => ({ ...edge, tainted: [] }));
    const preferred = alert.tracing?.preferredRule ?? 'fifo';
    const transfers = transfersOf(hops, context, (hop) => tracedNote(hop, preferred));
    const report: GoamlTransactionsReport = {
      ...base,
      kind: 'transactions',
      transfers,
      accounts: accountMap(
        transfers.flatMap((t) => [t.fromKey, t.toKey]),
        context.accounts,
        alert,
      ),
    };
    return report;
  }
  const suspects = [
    alert.subject,
    ...alert.involved.filter((a) => a.role === 'mule' && a.accountKey !== alert.subject.accountKey),
  ];
  const accounts = accountMap(
    suspects.map((s) => s.accountKey),
    context.accounts,
    alert,
  );
  const report: GoamlActivityReport = {
    ...base,
    kind: 'activity',
    parties: suspects.map((suspect, index) => ({
      account: accounts.get(suspect.accountKey) ?? accountFromKey(suspect.accountKey),
      significance: index === 0 ? alert.score * 10 : alert.score * 5,
      reason:
        index === 0
          ? `subject of ${alert.typology} (${alert.summary})`
          : `mule linked to the subject by ${alert.typology}`,
    })),
  };
  return report;
};

/** A case as an STR: the hops that carried its victims' money, each with the traced share. */
export const goamlReportOfCase = (filing: CaseFiling, context: FilingContext): GoamlReportInput => {
  const tracing = filing.tracing;
  const caseId = filing.caseId;
  const hops = (tracing?.ledger ?? []).filter((hop) =>
    hop.tainted.some((t) => t.caseId === caseId && BigInt(t.amount.amountMinor) > 0n),
  );
  const preferred = tracing?.preferredRule ?? 'fifo';
  const transfers = transfersOf(hops, context, (hop) => tracedNote(hop, preferred, caseId));
  const report = filing.report;
  const reason = [
    `Victim report ${caseId} (${report.scamType}, via ${report.channel}) filed ${report.reportedAt} for victim account(s) ${report.victimAccountKeys.join(', ')}.`,
    tracing ? holdersNarrative(tracing, caseId).join(' ') : 'No trace of the victim money yet.',
    filing.jurisdictions.length > 0
      ? `Jurisdictions crossed: ${filing.jurisdictions.join(', ')}.`
      : undefined,
  ]
    .filter((line): line is string => line !== undefined && line !== '')
    .join(' ');
  return {
    kind: 'transactions',
    entityReference: caseId,
    submittedAt: context.submittedAt,
    reason,
    action: filing.alert?.recommendedActions.map((a) => a.rationale).join(' ') || undefined,
    typologies: filing.alert ? [filing.alert.typology] : ['proceeds.cross-border'],
    transfers,
    accounts: accountMap(
      transfers.flatMap((t) => [t.fromKey, t.toKey]),
      context.accounts,
      filing.alert ?? undefined,
    ),
  };
};
