import { api } from '../api-client';
import type { ApiMoney, MinorMoney, TracedHolder, TracedHop } from '../api-types';
import { clear, h, labelled } from '../dom';
import { formatElapsed } from '../format';
import { t } from '../i18n';
import { navigate, hrefOf, type Page } from '../router';
import { moneyEl, problemView, row, section, table, timeEl } from '../views';
import { openFreezeRequests } from './alert-view';

/** GET /cases/{caseId}. */
export interface CaseDetail {
  readonly caseId: string;
  readonly reports: readonly {
    readonly version: number;
    readonly reportingChannel: string;
    readonly reportedAt: string;
    readonly scamType: string;
    readonly victimAccountKeys?: readonly string[];
    readonly victimAccounts?: readonly { accountId: string; institutionId: string; country: string }[];
    readonly reportedTransfers?: readonly unknown[];
  }[];
  /** When the victim paid (the first reported transfer): the freeze clock starts here. */
  readonly paidAt?: string;
  readonly holders: readonly TracedHolder[];
  readonly ledger: readonly TracedHop[];
  readonly jurisdictions?: readonly string[];
  readonly alerts?: readonly { alertId: string; typology: string }[];
  readonly freezeRequests?: readonly {
    readonly institutionId: string;
    readonly amounts: readonly { rule: string; amount: MinorMoney | ApiMoney }[];
    readonly deadlineAt?: string;
  }[];
}

const describeTransfer = (transfer: unknown): string => {
  if (typeof transfer !== 'object' || transfer === null) return String(transfer);
  const record = transfer as Record<string, unknown>;
  const reference = record['reference'] as { reportedBy?: string; transferId?: string } | undefined;
  const amount = record['amount'] as { value?: string; currency?: string } | undefined;
  return [
    reference ? `${reference.reportedBy ?? ''} ${reference.transferId ?? ''}` : '',
    amount ? `${amount.value ?? ''} ${amount.currency ?? ''}` : '',
    typeof record['paidAt'] === 'string' ? record['paidAt'] : '',
  ]
    .filter(Boolean)
    .join(' · ');
};

export const renderCase: Page = (main, route) => {
  const caseId = route.path[1];
  const idInput = h('input', { type: 'text', value: caseId ?? '', size: 30 });
  main.append(
    h(
      'form',
      {
        class: 'filters',
        'aria-label': t('caseTitle'),
        onsubmit: (event: Event) => {
          event.preventDefault();
          if (idInput.value.trim()) navigate(hrefOf('cases', idInput.value.trim()));
        },
      },
      labelled(t('caseIdLabel'), idInput),
      h('button', { type: 'submit' }, t('openCaseButton')),
    ),
  );
  if (!caseId) return;
  const body = h('div', { class: 'case-view' }, h('p', {}, t('loading')));
  main.append(body);
  let clock: number | undefined;

  const draw = (detail: CaseDetail) => {
    clear(body);
    const clockEl = h('output', { class: 'clock', 'aria-live': 'off' });
    const paidAt = detail.paidAt ? Date.parse(detail.paidAt) : undefined;
    const tick = () => {
      clockEl.textContent = paidAt !== undefined ? formatElapsed(Date.now() - paidAt) : '—';
    };
    tick();
    clock = window.setInterval(tick, 1000);
    body.append(
      h('h1', {}, `${t('caseTitle')} ${detail.caseId}`),
      h(
        'div',
        { class: 'deadline' },
        h('span', {}, `${t('freezeClock')}: `),
        clockEl,
        detail.paidAt ? [' (', timeEl(detail.paidAt), ')'] : null,
        h('p', { class: 'muted' }, t('freezeClockHelp')),
      ),
      section(
        t('victimReport'),
        ...detail.reports.map((report) =>
          h(
            'dl',
            { class: 'facts-head' },
            h('dt', {}, t('version')),
            h('dd', {}, String(report.version)),
            h('dt', {}, t('reportedAt')),
            h('dd', {}, timeEl(report.reportedAt)),
            h('dt', {}, t('channel')),
            h('dd', {}, report.reportingChannel),
            h('dt', {}, t('scamType')),
            h('dd', {}, report.scamType),
            h('dt', {}, t('victimAccounts')),
            h(
              'dd',
              {},
              (
                report.victimAccountKeys ??
                report.victimAccounts?.map((a) => `${a.institutionId}:${a.accountId}`) ??
                []
              ).join(', '),
            ),
            h('dt', {}, t('reportedTransfers')),
            h('dd', {}, (report.reportedTransfers ?? []).map(describeTransfer).join('; ')),
          ),
        ),
      ),
      section(
        t('whereMoneyIs'),
        table(
          t('whereMoneyIs'),
          [t('holder'), t('role'), t('institution'), t('country'), t('rule'), t('amount'), t('crossBorder')],
          detail.holders.flatMap((holder) =>
            holder.amounts.map((amount) =>
              row(
                h(
                  'a',
                  { href: `#/graph?account=${encodeURIComponent(holder.account.accountKey)}` },
                  holder.account.accountKey,
                ),
                holder.account.role,
                holder.account.institutionId,
                holder.account.country,
                amount.rule,
                moneyEl(amount.amount),
                holder.crossBorderReasons.join(', '),
              ),
            ),
          ),
        ),
      ),
      section(
        t('hopLedger'),
        table(
          t('hopLedger'),
          [t('time'), t('transfer'), t('from'), t('to'), t('amount'), t('tainted')],
          detail.ledger
            .slice()
            .sort((a, b) => Date.parse(a.bookedAt) - Date.parse(b.bookedAt))
            .map((hop) =>
              row(
                timeEl(hop.bookedAt),
                hop.transferId,
                hop.fromKey,
                hop.toKey,
                moneyEl(hop.amount),
                h(
                  'span',
                  {},
                  hop.tainted.map((ta) =>
                    h('span', { class: 'taint' }, `${ta.rule}: `, moneyEl(ta.amount), ' '),
                  ),
                ),
              ),
            ),
        ),
      ),
      section(
        t('freezeRequests'),
        h(
          'button',
          { type: 'button', onclick: () => void openFreezeRequests(detail.caseId) },
          t('openFreezeRequests'),
        ),
        h('a', { href: `#/graph?case=${encodeURIComponent(detail.caseId)}` }, t('navGraph')),
        detail.alerts && detail.alerts.length > 0
          ? h(
              'ul',
              {},
              detail.alerts.map((a) =>
                h('li', {}, h('a', { href: hrefOf('alerts', a.alertId) }, `${a.typology} ${a.alertId}`)),
              ),
            )
          : null,
      ),
    );
  };

  api
    .get<CaseDetail>(`/cases/${encodeURIComponent(caseId)}`)
    .then(draw)
    .catch((error: unknown) => {
      clear(body);
      body.append(problemView(error));
    });
  return () => window.clearInterval(clock);
};
