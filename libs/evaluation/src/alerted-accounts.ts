/**
 * Which accounts an alert counts as detecting. The subject always; an involved account only when the alert gives
 * it a suspicious role (a fan-in alert names the senders that split payments as `mule`, a chain its hops): victims
 * and plain counterparties an alert lists as context are not detections.
 */
export const SUSPICIOUS_ROLES: ReadonlySet<string> = new Set(['mule', 'collector', 'off-ramp', 'hop-wallet']);

export interface AlertWithInvolved {
  readonly typology: string;
  readonly subject: { readonly accountKey: string };
  readonly involved?: readonly { readonly accountKey: string; readonly role: string }[];
}

/** One scored entry per account an alert detects: its subject, then involved accounts in suspicious roles. */
export const alertedAccountsOf = (
  alert: AlertWithInvolved,
  countInvolved = true,
): { accountKey: string; typology: string }[] => {
  const keys = new Set([alert.subject.accountKey]);
  if (countInvolved) {
    for (const a of alert.involved ?? []) if (SUSPICIOUS_ROLES.has(a.role)) keys.add(a.accountKey);
  }
  return [...keys].map((accountKey) => ({ accountKey, typology: alert.typology }));
};
