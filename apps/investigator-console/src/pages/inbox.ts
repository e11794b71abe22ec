import { allowedActions } from '@scamflow/contracts';
import { followAlertStream, type StreamState } from '../alert-stream';
import { api } from '../api-client';
import { LIFECYCLE_STATES, type AccountRef, type LifecycleState } from '../api-types';
import { clear, h, labelled } from '../dom';
import { t, type MessageKey, prefs } from '../i18n';
import { lifecyclePanel } from '../lifecycle-panel';
import { session } from '../session';
import { hrefOf, navigate, type Page } from '../router';
import { problemView, severityBadge, statusKey, timeEl } from '../views';

/** One row of GET /alerts. */
export interface AlertListItem {
  readonly alertId: string;
  readonly version: number;
  readonly typology: string;
  readonly severity: string;
  readonly score: number;
  readonly summary: string;
  readonly subject: AccountRef & { role: string };
  readonly institutions: readonly string[];
  readonly jurisdictions: readonly string[];
  readonly raisedAt: string;
  readonly state: LifecycleState;
}
export interface AlertList {
  readonly items: readonly AlertListItem[];
  readonly nextCursor: string | null;
  readonly counts: Partial<Record<LifecycleState, number>>;
}

const TYPOLOGIES = [
  'mule.fan-in-pass-through',
  'mule.rapid-pass-through',
  'mule.fan-out-structuring',
  'mule.layering-chain',
  'mule.shared-identifier',
  'mule.proximity-to-proceeds',
  'mule.round-tripping',
  'mule.scatter-gather',
  'mule.bipartite-layering',
  'mule.fan-in',
  'mule.fan-out',
  'mule.gather-scatter',
  'proceeds.cross-border',
];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const FILTERS = ['status', 'typology', 'severity', 'institution', 'country', 'from', 'to'] as const;

/** A datetime-local value read in the chosen zone (Bangkok has no daylight saving: a fixed +07:00). */
const toIso = (local: string): string | undefined => {
  if (!local) return undefined;
  const offset = prefs.timeZone() === 'UTC' ? 'Z' : '+07:00';
  const date = new Date(`${local.length === 16 ? `${local}:00` : local}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const select = (options: { value: string; label: string }[], value: string): HTMLSelectElement =>
  h(
    'select',
    {},
    h('option', { value: '' }, t('any')),
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)),
  );

export const renderInbox: Page = (main, route) => {
  const query = route.query;
  const current = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  let items: AlertListItem[] = [];
  let nextCursor: string | null = null;
  let selected = 0;

  const liveBadge = h('span', { class: 'live', role: 'status' }, t('connecting'));
  const countsBox = h('div', { class: 'counts', role: 'group', 'aria-label': t('countsPerStatus') });
  const tableBody = h('tbody');
  const tableEl = h(
    'table',
    { class: 'inbox', 'aria-describedby': 'inbox-keys' },
    h('caption', {}, t('alertsTable')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        (
          [
            'colSeverity',
            'colTypology',
            'colSubject',
            'colInstitutions',
            'colCountries',
            'colScore',
            'colStatus',
            'colRaised',
          ] as MessageKey[]
        ).map((key) => h('th', { scope: 'col' }, t(key))),
      ),
    ),
    tableBody,
  );
  const moreButton = h('button', { type: 'button', hidden: true }, t('loadMore'));
  const actionBox = h('section', { class: 'selected-actions', 'aria-label': t('selectedAlert') });
  const listProblem = h('div');

  const filterForm = h(
    'form',
    { class: 'filters', 'aria-label': t('filters') },
    labelled(
      t('status'),
      select(
        LIFECYCLE_STATES.map((s) => ({ value: s, label: t(statusKey(s)) })),
        current.status,
      ),
    ),
    labelled(
      t('typology'),
      select(
        TYPOLOGIES.map((v) => ({ value: v, label: v })),
        current.typology,
      ),
    ),
    labelled(
      t('severity'),
      select(
        SEVERITIES.map((v) => ({ value: v, label: v })),
        current.severity,
      ),
    ),
    labelled(t('institution'), h('input', { type: 'text', value: current.institution, size: 12 })),
    labelled(t('country'), h('input', { type: 'text', value: current.country, size: 3, maxlength: 2 })),
    labelled(t('from'), h('input', { type: 'datetime-local', value: current.from })),
    labelled(t('to'), h('input', { type: 'datetime-local', value: current.to })),
    h('button', { type: 'submit' }, t('applyFilters')),
    h('button', { type: 'button', onclick: () => navigate('#/inbox') }, t('resetFilters')),
  );
  filterForm
    .querySelectorAll('select, input')
    .forEach((control, i) => control.setAttribute('name', FILTERS[i] ?? ''));
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filterForm);
    const next = new URLSearchParams();
    for (const f of FILTERS) {
      const raw = data.get(f);
      const value = typeof raw === 'string' ? raw.trim() : '';
      if (value) next.set(f, f === 'country' ? value.toUpperCase() : value);
    }
    navigate(`#/inbox${next.size > 0 ? `?${next.toString()}` : ''}`);
  });

  const apiQuery = (cursor?: string) => ({
    status: current.status,
    typology: current.typology,
    severity: current.severity,
    institution: current.institution,
    country: current.country,
    from: toIso(current.from),
    to: toIso(current.to),
    cursor,
  });

  const drawCounts = (counts: AlertList['counts']) => {
    clear(countsBox);
    const total = LIFECYCLE_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    const button = (state: string, label: string, count: number) => {
      const target = new URLSearchParams(query);
      if (state) target.set('status', state);
      else target.delete('status');
      return h(
        'a',
        {
          class: 'count',
          href: `#/inbox${target.size > 0 ? `?${target.toString()}` : ''}`,
          'aria-current': current.status === state ? 'true' : null,
          'data-status': state || 'all',
        },
        `${label} `,
        h('span', { class: 'n', 'data-count': state || 'all' }, String(count)),
      );
    };
    countsBox.append(
      button('', t('all'), total),
      ...LIFECYCLE_STATES.map((s) => button(s, t(statusKey(s)), counts[s] ?? 0)),
    );
  };

  const drawActions = () => {
    clear(actionBox);
    const alert = items[selected];
    if (!alert) return;
    actionBox.append(
      h(
        'h2',
        {},
        `${t('selectedAlert')}: `,
        h('a', { href: hrefOf('alerts', alert.alertId) }, alert.alertId),
      ),
      h('p', {}, alert.summary),
      lifecyclePanel(
        alert.alertId,
        allowedActions(alert.state, session.user()?.role ?? ''),
        () => void reload(),
      ),
    );
  };

  const select_ = (index: number, focus: boolean) => {
    if (items.length === 0) return;
    selected = Math.max(0, Math.min(items.length - 1, index));
    tableBody.querySelectorAll('tr').forEach((tr, i) => {
      tr.setAttribute('aria-selected', String(i === selected));
      tr.tabIndex = i === selected ? 0 : -1;
      if (i === selected && focus) tr.focus();
    });
    drawActions();
  };

  const drawRows = () => {
    // A re-read while the reader is in the list (a new alert arrived) must not drop their keyboard focus:
    // the rows are rebuilt, and the selected one (kept by alert id) takes the focus back.
    const hadFocus = tableBody.contains(document.activeElement);
    clear(tableBody);
    if (items.length === 0) {
      tableBody.append(h('tr', {}, h('td', { colspan: 8 }, t('noAlerts'))));
      clear(actionBox);
      return;
    }
    items.forEach((alert, i) => {
      const tr = h(
        'tr',
        {
          'data-alert-id': alert.alertId,
          'data-state': alert.state,
          tabindex: -1,
          onclick: () => select_(i, true),
          ondblclick: () => navigate(hrefOf('alerts', alert.alertId)),
        },
        h('td', {}, severityBadge(alert.severity)),
        h('td', {}, alert.typology),
        h(
          'td',
          {},
          h('a', { href: hrefOf('alerts', alert.alertId), tabindex: -1 }, alert.subject.accountKey),
        ),
        h('td', {}, alert.institutions.join(', ')),
        h('td', {}, alert.jurisdictions.join(', ')),
        h('td', {}, alert.score.toFixed(2)),
        h('td', {}, t(statusKey(alert.state))),
        h('td', {}, timeEl(alert.raisedAt)),
      );
      tableBody.append(tr);
    });
    select_(selected, hadFocus);
  };

  let loading: Promise<void> | undefined;
  const reload = async (): Promise<void> => {
    const keep = items[selected]?.alertId;
    try {
      const list = await api.get<AlertList>('/alerts', apiQuery());
      items = [...list.items];
      nextCursor = list.nextCursor;
      const again = keep ? items.findIndex((a) => a.alertId === keep) : -1;
      selected = again >= 0 ? again : Math.min(selected, Math.max(0, items.length - 1));
      clear(listProblem);
      drawCounts(list.counts);
      drawRows();
      moreButton.hidden = nextCursor === null;
    } catch (error) {
      clear(listProblem);
      listProblem.append(problemView(error));
    }
  };
  moreButton.addEventListener('click', () => {
    if (!nextCursor) return;
    void api.get<AlertList>('/alerts', apiQuery(nextCursor)).then((list) => {
      items = [...items, ...list.items];
      nextCursor = list.nextCursor;
      moreButton.hidden = nextCursor === null;
      drawRows();
    });
  });

  tableEl.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    if (event.key === 'j' || event.key === 'ArrowDown') {
      select_(selected + 1, true);
      event.preventDefault();
    } else if (event.key === 'k' || event.key === 'ArrowUp') {
      select_(selected - 1, true);
      event.preventDefault();
    } else if (event.key === 'Enter') {
      const alert = items[selected];
      if (alert) navigate(hrefOf('alerts', alert.alertId));
      event.preventDefault();
    }
  });

  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, t('inboxTitle')), liveBadge),
    countsBox,
    filterForm,
    h('p', { id: 'inbox-keys', class: 'muted' }, t('keyboardHelp')),
    listProblem,
    h('div', { class: 'inbox-layout' }, h('div', { class: 'table-wrap' }, tableEl, moreButton), actionBox),
  );

  // New alerts and versions arrive on the stream; the list is re-read (debounced) so filters, order and
  // counts stay the server's.
  let timer: number | undefined;
  const streamQuery = new URLSearchParams(
    Object.entries(apiQuery()).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  ).toString();
  const stopStream = followAlertStream(
    streamQuery,
    () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        loading = reload();
      }, 250);
    },
    (state: StreamState) => {
      liveBadge.textContent = t(state === 'live' ? 'live' : state === 'closed' ? 'offline' : state);
      liveBadge.dataset['state'] = state;
    },
  );
  loading = reload();
  void loading;
  return () => {
    window.clearTimeout(timer);
    stopStream();
  };
};
