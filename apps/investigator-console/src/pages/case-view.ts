import { api } from '../api-client';
import type { AccountRef, MinorMoney, TracedHop } from '../api-types';
import { append, clear, h, labelled } from '../dom';
import { formatElapsed } from '../format';
import { roleText, t } from '../i18n';
import { may } from '../permissions';
import { hrefOf, navigate, type Page } from '../router';
import { holderRow, moneyEl, problemView, row, section, table, timeEl } from '../views';
import { openFreezeRequests } from './alert-view';

type Shown = MinorMoney & { readonly decimal: string };

/** GET /cases/{caseId}. */
export interface CaseDetail {
  readonly caseId: string;
  readonly report: {
    readonly version: number;
    readonly channel: string;
    readonly scamType: string;
    readonly reportedAt: string;
    readonly victimAccountKeys: readonly string[];
    readonly reportedTransfers: readonly { transferId?: string; amount?: MinorMoney; paidAt?: string }[];
  };
  readonly tracing: {
    readonly alertId: string;
    readonly alertState: string;
    readonly preferredRule: string | null;
  } | null;
  readonly holders: readonly {
    readonly account: AccountRef & { readonly role: string };
    readonly crossBorderReasons: readonly string[];
    readonly amounts: readonly { readonly rule: string; readonly amount: Shown }[];
  }[];
  readonly jurisdictions: readonly string[];
}

/** GET /cases/{caseId}/freeze-requests: one request per holding institution. */
export interface FreezeRequests {
  readonly items: readonly {
    readonly requestId: string;
    readonly institutionId: string;
    readonly country: string;
    readonly quotedRule: string;
    readonly quoted: readonly Shown[];
    readonly accounts: readonly { readonly accountKey: string }[];
    readonly ledger: readonly TracedHop[];
    readonly clock: { readonly victimPaidAt: string; readonly goldenHourEndsAt: string };
  }[];
}

const describeTransfer = (transfer: CaseDetail['report']['reportedTransfers'][number]): string =>
  [
    transfer.transferId ?? '',
    transfer.amount ? moneyEl(transfer.amount).textContent : '',
    transfer.paidAt ?? '',
  ]
    .filter(Boolean)
    .join(' · ');

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

  const draw = (detail: CaseDetail, freeze: FreezeRequests) => {
    clear(body);
    const paidAt = freeze.items[0]?.clock.victimPaidAt;
    const clockEl = h('output', { class: 'clock', 'data-paid-at': paidAt ?? '' });
    const tick = () => {
      clockEl.textContent = paidAt ? formatElapsed(Date.now() - Date.parse(paidAt)) : '—';
    };
    tick();
    clock = window.setInterval(tick, 1000);
    const ledger = new Map<string, TracedHop>();
    for (const request of freeze.items) for (const hop of request.ledger) ledger.set(hop.transferId, hop);
    append(
      body,
      h('h1', {}, `${t('caseTitle')} ${detail.caseId}`),
      h(
        'div',
        { class: 'deadline', role: 'group', 'aria-label': t('freezeClock') },
        h('span', {}, `${t('freezeClock')}: `),
        clockEl,
        paidAt ? [' (', timeEl(paidAt), ')'] : null,
        h('p', { class: 'muted' }, t('freezeClockHelp')),
      ),
      section(
        t('victimReport'),
        h(
          'dl',
          { class: 'facts-head' },
          h('dt', {}, t('version')),
          h('dd', {}, String(detail.report.version)),
          h('dt', {}, t('reportedAt')),
          h('dd', {}, timeEl(detail.report.reportedAt)),
          h('dt', {}, t('channel')),
          h('dd', {}, detail.report.channel),
          h('dt', {}, t('scamType')),
          h('dd', {}, detail.report.scamType),
          h('dt', {}, t('victimAccounts')),
          h('dd', {}, detail.report.victimAccountKeys.join(', ')),
          h('dt', {}, t('reportedTransfers')),
          h('dd', {}, detail.report.reportedTransfers.map(describeTransfer).join('; ')),
          h('dt', {}, t('institutionsCrossed')),
          h('dd', {}, detail.jurisdictions.join(', ')),
        ),
      ),
      section(
        t('whereMoneyIs'),
        table(
          t('whereMoneyIs'),
          [t('holder'), t('role'), t('institution'), t('country'), t('rule'), t('amount'), t('crossBorder')],
          detail.holders.flatMap((holder) =>
            holder.amounts.map((amount) =>
              holderRow(
                holder.account.accountKey,
                amount.rule,
                h(
                  'a',
                  { href: `#/graph?account=${encodeURIComponent(holder.account.accountKey)}` },
                  holder.account.accountKey,
                ),
                roleText(holder.account.role),
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
        t('freezeRequests'),
        table(
          t('freezeRequests'),
          [t('institution'), t('country'), t('rule'), t('amount'), t('holder')],
          freeze.items.map((request) =>
            row(
              request.institutionId,
              request.country,
              request.quotedRule,
              h(
                'span',
                {},
                request.quoted.map((q) => moneyEl(q)),
              ),
              request.accounts.map((a) => a.accountKey).join(', '),
            ),
          ),
        ),
        h(
          'div',
          { class: 'doc-actions' },
          h(
            'button',
            { type: 'button', onclick: () => void openFreezeRequests(detail.caseId) },
            t('openFreezeRequests'),
          ),
          may('GET /accounts/:accountKey/trace')
            ? h('a', { href: `#/graph?case=${encodeURIComponent(detail.caseId)}` }, t('navGraph'))
            : null,
          detail.tracing ? h('a', { href: hrefOf('alerts', detail.tracing.alertId) }, t('alertTitle')) : null,
        ),
      ),
      section(
        t('hopLedger'),
        table(
          t('hopLedger'),
          [t('time'), t('transfer'), t('from'), t('to'), t('amount'), t('tainted')],
          [...ledger.values()]
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
                  hop.tainted
                    .filter((ta) => ta.caseId === undefined || ta.caseId === detail.caseId)
                    .map((ta) => h('span', { class: 'taint' }, `${ta.rule}: `, moneyEl(ta.amount), ' ')),
                ),
              ),
            ),
        ),
      ),
    );
  };

  const path = `/cases/${encodeURIComponent(caseId)}`;
  Promise.all([api.get<CaseDetail>(path), api.get<FreezeRequests>(`${path}/freeze-requests`)])
    .then(([detail, freeze]) => draw(detail, freeze))
    .catch((error: unknown) => {
      clear(body);
      body.append(problemView(error));
    });
  return () => window.clearInterval(clock);
};
