import { formatMinor } from '@scamflow/money';
import { escapeHtml as e } from './html';
import type { FreezeRequest } from './freeze-request';

const duration = (seconds: number): string => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${h} h ${String(m).padStart(2, '0')} min`;
};

const requestSection = (request: FreezeRequest): string => `
<section class="request">
  <h2>Freeze request ${e(request.requestId)}</h2>
  <p>To <strong>${e(request.institutionId)}</strong> (${e(request.country)}). Case <strong>${e(request.caseId)}</strong>.</p>
  <p class="quoted">Please freeze <strong>${request.quoted.map((m) => `${e(m.decimal)} ${e(m.currency)}`).join(' + ') || 'nothing'}</strong>
     (${e(request.quotedRule)} rule).</p>
  <p class="clock">Victim paid ${e(request.clock.victimPaidAt)}; ${e(duration(request.clock.elapsedSeconds))} elapsed at ${e(request.clock.asOf)};
     golden hour ${request.clock.withinGoldenHour ? 'ends' : 'ended'} ${e(request.clock.goldenHourEndsAt)}.</p>
  <table>
    <thead><tr><th>Account</th><th>Role</th><th>Rule</th><th>Amount</th><th>Why it matters</th></tr></thead>
    <tbody>
${request.accounts
  .flatMap((account) =>
    account.amounts.map(
      (a) =>
        `      <tr><td>${e(account.accountKey)}</td><td>${e(account.role)}</td><td>${e(a.rule)}</td><td class="amount">${e(a.amount.decimal)} ${e(a.amount.currency)}</td><td>${e(account.crossBorderReasons.join(', '))}</td></tr>`,
    ),
  )
  .join('\n')}
    </tbody>
  </table>
  <h3>Hop ledger</h3>
  <table>
    <thead><tr><th>Booked (UTC)</th><th>Transfer</th><th>From</th><th>To</th><th>Amount</th><th>Victim money carried</th></tr></thead>
    <tbody>
${request.ledger
  .map(
    (hop) =>
      `      <tr><td>${e(hop.bookedAt)}</td><td>${e(hop.transferId)}</td><td>${e(hop.fromKey)}</td><td>${e(hop.toKey)}</td><td class="amount">${e(hop.amountShown.decimal)} ${e(hop.amountShown.currency)}</td><td>${e(
        hop.tainted
          .filter((t) => t.caseId === request.caseId)
          .map((t) => `${t.rule} ${formatMinor(t.amount.amountMinor, t.amount.scale)} ${t.amount.currency}`)
          .join('; '),
      )}</td></tr>`,
  )
  .join('\n')}
    </tbody>
  </table>
</section>`;

/** A printable page of a case's freeze requests; every value is escaped. */
export const renderFreezeRequestsHtml = (
  caseId: string,
  requests: readonly FreezeRequest[],
): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Freeze requests for case ${e(caseId)}</title>
<style>
  body { font-family: sans-serif; margin: 2em; }
  table { border-collapse: collapse; margin-bottom: 1em; }
  th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; }
  td.amount { text-align: right; font-variant-numeric: tabular-nums; }
  section.request { page-break-after: always; }
</style>
</head>
<body>
<h1>Freeze requests for case ${e(caseId)}</h1>
${requests.length === 0 ? '<p>No institution holds traced money of this case.</p>' : requests.map(requestSection).join('\n')}
</body>
</html>
`;
