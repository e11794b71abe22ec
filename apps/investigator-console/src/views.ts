import { ProblemError } from './api-client';
import { h } from './dom';
import { formatMoney, formatTime, fromMinor, utcTitle, type DisplayMoney } from './format';
import type { MinorMoney } from './api-types';
import { prefs, severityText, t, type MessageKey } from './i18n';

/** A time in the chosen zone, with the UTC instant on hover. */
export const timeEl = (iso: string): HTMLTimeElement =>
  h('time', { datetime: iso, title: utcTitle(iso) }, formatTime(iso, prefs.locale(), prefs.timeZone()));

export const moneyEl = (money: DisplayMoney | MinorMoney): HTMLElement =>
  h('span', { class: 'money' }, formatMoney('decimal' in money ? money : fromMinor(money)));

export const statusKey = (state: string): MessageKey => {
  switch (state) {
    case 'new':
      return 'stNew';
    case 'acknowledged':
      return 'stAcknowledged';
    case 'assigned':
      return 'stAssigned';
    case 'escalated':
      return 'stEscalated';
    default:
      return 'stClosed';
  }
};

export const severityBadge = (severity: string): HTMLElement =>
  h('span', { class: `badge sev-${severity}`, 'data-severity': severity }, severityText(severity));

/** A table with a caption (its accessible name) and header cells. */
export const table = (caption: string, headers: string[], rows: HTMLTableRowElement[]): HTMLTableElement =>
  h(
    'table',
    {},
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((text) => h('th', { scope: 'col' }, text)),
      ),
    ),
    h('tbody', {}, rows),
  );

/** A row of a holders table, tagged with its holder and rule for readers that filter (and for tests). */
export const holderRow = (
  accountKey: string,
  rule: string,
  ...cells: (Node | string)[]
): HTMLTableRowElement => {
  const tr = row(...cells);
  tr.dataset['holder'] = accountKey;
  tr.dataset['rule'] = rule;
  return tr;
};

export const row = (...cells: (Node | string)[]): HTMLTableRowElement =>
  h(
    'tr',
    {},
    cells.map((cell) => h('td', {}, cell)),
  );

/** What to show when a call failed: not found / forbidden / the problem's own words. */
export const problemView = (error: unknown): HTMLElement => {
  if (error instanceof ProblemError) {
    const text =
      error.status === 404
        ? t('notFound')
        : error.status === 403
          ? t('forbidden')
          : `${error.title}: ${error.detail}`;
    return h('p', { class: 'problem', role: 'alert' }, text);
  }
  return h('p', { class: 'problem', role: 'alert' }, `${t('error')}: ${String(error)}`);
};

export const section = (title: string, ...children: (Node | null)[]): HTMLElement => {
  const id = `sec-${title.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
};
