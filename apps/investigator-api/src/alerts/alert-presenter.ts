import { allowedActions, type AlertRaised } from '@scamflow/contracts';
import { listFieldsOf, type StoredAlertDetail, type StoredAlertSummary } from '@scamflow/graph';
import { formatMinor } from '@scamflow/money';
import { maskIdentifier } from '@scamflow/observability';
import type { Principal } from '../auth/principal';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMinorMoney = (value: { [key: string]: Json }): boolean =>
  typeof value['amountMinor'] === 'string' &&
  typeof value['currency'] === 'string' &&
  typeof value['scale'] === 'number';

/** Every contract `MinorMoney` gains a `decimal` string (exact, from bigint): what people read. */
export const withDecimals = (value: Json): Json => {
  if (Array.isArray(value)) return value.map(withDecimals);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = withDecimals(v);
    if (isMinorMoney(value))
      out['decimal'] = formatMinor(value['amountMinor'] as string, value['scale'] as number);
    return out;
  }
  return value;
};

/** Account keys and account ids of institutions other than `institutionId` anywhere in the alert. */
const foreignIdentifiers = (alert: AlertRaised, institutionId: string): Map<string, string> => {
  const foreign = new Map<string, string>();
  const accounts = [
    alert.subject,
    ...alert.involved,
    ...(alert.tracing?.holders.map((h) => h.account) ?? []),
  ];
  const own = new Set(accounts.filter((a) => a.institutionId === institutionId).map((a) => a.accountKey));
  for (const account of accounts) {
    if (account.institutionId === institutionId) continue;
    foreign.set(account.accountKey, maskIdentifier(account.accountKey));
    foreign.set(account.accountId, maskIdentifier(account.accountId));
    if (account.holderId) foreign.set(account.holderId, maskIdentifier(account.holderId));
  }
  // Keys seen only in edges, counterparties, victims and actions: foreign unless they are the bank's own.
  const keys = [
    ...alert.evidence.counterparties,
    ...alert.evidence.edges.flatMap((e) => [e.fromKey, e.toKey]),
    ...(alert.tracing?.ledger.flatMap((e) => [e.fromKey, e.toKey]) ?? []),
    ...(alert.tracing?.victims.flatMap((v) => v.victimAccountKeys) ?? []),
    ...alert.recommendedActions.flatMap((a) => (a.accountKey ? [a.accountKey] : [])),
  ];
  for (const key of keys) {
    if (!own.has(key) && !key.startsWith(`${institutionId}:`)) foreign.set(key, maskIdentifier(key));
  }
  return foreign;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const maskStrings = (value: Json, exact: Map<string, string>, inProse: RegExp | undefined): Json => {
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, exact, inProse));
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskStrings(v, exact, inProse);
    return out;
  }
  if (typeof value !== 'string') return value;
  const whole = exact.get(value);
  if (whole !== undefined) return whole;
  // Prose (summaries, fact values, rationales) names accounts by key; ids alone are only masked as whole values
  // (a short account id would otherwise match digits inside amounts).
  return inProse ? value.replace(inProse, (match) => exact.get(match) ?? '****') : value;
};

/**
 * The alert as a reporting bank may see it: other institutions' account numbers, keys and holder ids masked
 * wherever they appear (structured fields and prose alike).
 */
export const maskForInstitution = (alert: AlertRaised, institutionId: string): AlertRaised => {
  const foreign = foreignIdentifiers(alert, institutionId);
  if (foreign.size === 0) return alert;
  // Longest first, so a longer key wins over a key it contains.
  const keys = [...foreign.keys()].filter((id) => id.includes(':')).sort((a, b) => b.length - a.length);
  const inProse = keys.length > 0 ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : undefined;
  return maskStrings(alert, foreign, inProse) as unknown as AlertRaised;
};

/** The alert as this caller may see it: a bank's view has other institutions' identifiers masked. */
export const visibleAlert = (alert: AlertRaised, principal: Principal): AlertRaised =>
  principal.role === 'bank' && principal.institutionId
    ? maskForInstitution(alert, principal.institutionId)
    : alert;

const money = (alert: AlertRaised): Json => withDecimals(alert);

/** One row of `GET /alerts`, from list fields already as the caller may see them. */
export const presentAlertSummary = (stored: StoredAlertSummary) => ({
  alertId: stored.alertId,
  version: stored.latestVersion,
  state: stored.state,
  ...stored.listed,
  receivedAt: stored.receivedAt,
  assignee: stored.assignee,
  disposition: stored.disposition,
  stateChangedAt: stored.stateChangedAt,
});
export type AlertSummaryView = ReturnType<typeof presentAlertSummary>;

/** `GET /alerts/{alertId}`: the latest version in full, every earlier version, lifecycle history. */
export const presentAlertDetail = (detail: StoredAlertDetail, principal: Principal) => {
  const { current } = detail;
  const latest = visibleAlert(current.alert, principal);
  return {
    ...presentAlertSummary({ ...current, listed: listFieldsOf(latest) }),
    lifecycle: {
      state: current.state,
      assignee: current.assignee,
      strReference: current.strReference,
      disposition: current.disposition,
      dispositionReason: current.dispositionReason,
      duplicateOf: current.duplicateOf,
      allowedActions: allowedActions(current.state, principal.role),
      history: detail.transitions.map((t) => ({
        seq: t.seq,
        action: t.action,
        from: t.from,
        to: t.to,
        by: t.by,
        role: t.role,
        at: t.at,
        ...t.fields,
      })),
    },
    evidence: withDecimals(latest.evidence),
    tracing: latest.tracing ? withDecimals(latest.tracing) : null,
    amounts: latest.amounts ? withDecimals(latest.amounts) : null,
    recommendedActions: withDecimals(latest.recommendedActions),
    facts: latest.facts,
    latest: money(latest),
    earlierVersions: detail.versions
      .filter((v) => v.version !== current.latestVersion)
      .map((v) => ({
        version: v.version,
        receivedAt: v.receivedAt,
        alert: money(visibleAlert(v.alert, principal)),
      })),
  };
};

/** The accounts an alert discloses (for the audit entry). */
export const accountKeysOf = (alert: AlertRaised): string[] => [
  ...new Set([alert.subject.accountKey, ...alert.involved.map((a) => a.accountKey)]),
];
