import type { LifecycleActionName } from '@scamflow/contracts';
import { api, saveBlob } from '../api-client';
import type { AlertRaised, LifecycleState, RecommendedAction } from '../api-types';
import { append, clear, h, toast } from '../dom';
import { graphOfAlert, toElements } from '../graph-model';
import { drawGraph } from '../graph-view';
import { prefs, roleText, t } from '../i18n';
import { lifecyclePanel } from '../lifecycle-panel';
import { may } from '../permissions';
import { hrefOf, type Page } from '../router';
import {
  holderRow,
  moneyEl,
  problemView,
  row,
  section,
  severityBadge,
  statusKey,
  table,
  timeEl,
} from '../views';

/** GET /alerts/{alertId}: the latest version in full, earlier versions, the lifecycle with its history. */
export interface AlertDetail {
  readonly latest: AlertRaised;
  readonly lifecycle: {
    readonly state: LifecycleState;
    readonly assignee: string | null;
    readonly disposition: string | null;
    readonly dispositionReason: string | null;
    readonly allowedActions: readonly LifecycleActionName[];
    readonly history: readonly {
      readonly action: string;
      readonly to: LifecycleState;
      readonly by: string;
      readonly role: string;
      readonly at: string;
      readonly reason?: string;
      readonly assignee?: string;
      readonly note?: string;
    }[];
  };
  readonly earlierVersions: readonly {
    readonly version: number;
    readonly receivedAt: string;
    readonly alert: AlertRaised;
  }[];
}

const caseOf = (alert: AlertRaised): string | undefined => alert.tracing?.victims[0]?.caseId;

const downloadGoaml = async (alertId: string): Promise<void> => {
  try {
    const file = await api.fetchFile(
      `/alerts/${encodeURIComponent(alertId)}/goaml.xml`,
      undefined,
      'application/xml',
      `${alertId}.goaml.xml`,
    );
    saveBlob(file.blob, file.name);
  } catch (error) {
    toast(String(error), 'error');
  }
};

/** Fetches the printable freeze-request page with the token and opens it in a new tab. */
export const openFreezeRequests = async (caseId: string): Promise<void> => {
  try {
    const file = await api.fetchFile(
      `/cases/${encodeURIComponent(caseId)}/freeze-requests`,
      { format: 'html' },
      'text/html',
      `${caseId}-freeze-requests.html`,
    );
    const url = URL.createObjectURL(new Blob([await file.blob.text()], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  } catch (error) {
    toast(String(error), 'error');
  }
};

const actionView = (alert: AlertRaised, action: RecommendedAction): HTMLElement => {
  const caseId = caseOf(alert);
  return h(
    'li',
    { 'data-kind': action.kind },
    h('strong', {}, action.kind),
    action.amount ? [' ', moneyEl(action.amount), action.rule ? ` (${action.rule})` : ''] : null,
    action.institutionId ? ` · ${action.institutionId}` : null,
    h('p', {}, action.rationale),
    action.kind === 'freeze-request' && caseId && may('GET /cases/:caseId/freeze-requests')
      ? h(
          'button',
          { type: 'button', onclick: () => void openFreezeRequests(caseId) },
          t('openFreezeRequest'),
        )
      : null,
  );
};

export const renderAlert: Page = (main, route) => {
  const alertId = route.path[1] ?? '';
  const body = h('div', { class: 'alert-view' }, h('p', {}, t('loading')));
  main.append(body);
  let graphBox: HTMLElement | undefined;

  const draw = (detail: AlertDetail) => {
    const alert = detail.latest;
    const state = detail.lifecycle.state;
    clear(body);
    const caseId = caseOf(alert);
    graphBox = h('div', {
      class: 'graph',
      id: 'evidence-graph',
      role: 'img',
      'aria-label': `${t('evidenceGraph')}: ${alert.evidence.edges.length}`,
    });
    const holders = alert.tracing?.holders ?? [];
    append(
      body,
      h(
        'div',
        { class: 'page-head' },
        h('h1', {}, `${t('alertTitle')} ${alert.alertId}`),
        severityBadge(alert.severity),
        h('span', { class: 'state', 'data-state': state }, t(statusKey(state))),
      ),
      h(
        'dl',
        { class: 'facts-head' },
        h('dt', {}, t('typology')),
        h('dd', {}, alert.typology),
        h('dt', {}, t('subject')),
        h(
          'dd',
          {},
          `${alert.subject.accountKey} (${alert.subject.role}) · ${alert.subject.institutionId} · ${alert.subject.country}`,
        ),
        h('dt', {}, t('score')),
        h('dd', {}, alert.score.toFixed(3)),
        h('dt', {}, t('version')),
        h('dd', {}, String(alert.version)),
        h('dt', {}, t('colRaised')),
        h('dd', {}, timeEl(alert.raisedAt)),
        h('dt', {}, t('jurisdictions')),
        h('dd', {}, alert.jurisdictions.join(', ')),
      ),
      section(t('summary'), h('p', {}, alert.summary)),
      section(
        t('actions'),
        lifecyclePanel(alert.alertId, detail.lifecycle.allowedActions, () => void load()),
        h(
          'div',
          { class: 'doc-actions' },
          may('GET /alerts/:alertId/goaml.xml')
            ? h(
                'button',
                { type: 'button', onclick: () => void downloadGoaml(alert.alertId) },
                t('downloadGoaml'),
              )
            : null,
          caseId && may('GET /cases/:caseId')
            ? h('a', { href: hrefOf('cases', caseId) }, `${t('openCase')} ${caseId}`)
            : null,
          may('GET /accounts/:accountKey/trace')
            ? h(
                'a',
                { href: `#/graph?account=${encodeURIComponent(alert.subject.accountKey)}` },
                t('exploreGraph'),
              )
            : null,
        ),
      ),
      section(
        t('facts'),
        alert.facts.length > 0
          ? table(
              t('facts'),
              [t('fact'), t('value'), t('threshold'), t('fired')],
              alert.facts.map((f) =>
                row(
                  h('span', { title: f.name }, f.description),
                  f.unit ? `${f.value} ${f.unit}` : f.value,
                  f.unit ? `${f.threshold} ${f.unit}` : f.threshold,
                  h(
                    'span',
                    { class: f.fired ? 'fired' : 'not-fired' },
                    f.fired ? `✔ ${t('yes')}` : `✘ ${t('no')}`,
                  ),
                ),
              ),
            )
          : null,
      ),
      section(
        t('evidenceGraph'),
        h(
          'p',
          { class: 'muted' },
          alert.evidence.edges.length > 0 ? t('evidenceGraphHelp') : t('noEvidence'),
        ),
        alert.evidence.edges.length > 0 ? graphBox : null,
      ),
      holders.length > 0
        ? section(
            t('tracedAmounts'),
            table(
              t('tracedAmounts'),
              [
                t('holder'),
                t('role'),
                t('institution'),
                t('country'),
                t('rule'),
                t('caseId'),
                t('amount'),
                t('crossBorder'),
              ],
              holders.flatMap((holder) =>
                holder.amounts.map((amount) =>
                  holderRow(
                    holder.account.accountKey,
                    amount.rule,
                    holder.account.accountKey,
                    roleText(holder.account.role),
                    holder.account.institutionId,
                    holder.account.country,
                    amount.rule,
                    amount.caseId ?? '—',
                    moneyEl(amount.amount),
                    holder.crossBorderReasons.join(', '),
                  ),
                ),
              ),
            ),
          )
        : null,
      section(
        t('recommendedActions'),
        h(
          'ul',
          { class: 'actions' },
          alert.recommendedActions.map((a) => actionView(alert, a)),
        ),
      ),
      section(
        t('versions'),
        table(
          t('versions'),
          [t('version'), t('colRaised'), t('summary')],
          [alert, ...detail.earlierVersions.map((v) => v.alert)].map((v) =>
            row(String(v.version), timeEl(v.raisedAt), v.summary),
          ),
        ),
      ),
      detail.lifecycle.history.length > 0
        ? section(
            t('history'),
            table(
              t('history'),
              [t('colStatus'), t('by'), t('time'), t('reason')],
              detail.lifecycle.history.map((entry) =>
                row(
                  t(statusKey(entry.to)),
                  `${entry.by} (${entry.role})`,
                  timeEl(entry.at),
                  [entry.assignee, entry.reason, entry.note].filter(Boolean).join(' · '),
                ),
              ),
            ),
          )
        : null,
    );
    if (alert.evidence.edges.length > 0 && graphBox) {
      const model = graphOfAlert(alert);
      // One rank per account at most: tall enough that labels keep their size.
      graphBox.style.height = `${Math.min(1200, Math.max(320, 40 + 100 * model.nodes.length))}px`;
      drawGraph(graphBox, toElements(model, prefs.locale(), prefs.timeZone(), {}, roleText), undefined, 'TB');
    }
  };

  const load = async () => {
    try {
      draw(await api.get<AlertDetail>(`/alerts/${encodeURIComponent(alertId)}`));
    } catch (error) {
      clear(body);
      body.append(problemView(error));
    }
  };
  void load();
  return () => window.consoleGraph?.destroy();
};
