import { api, saveBlob } from '../api-client';
import type { Graph } from '../api-types';
import { clear, h, labelled, toast } from '../dom';
import { formatTime } from '../format';
import { mergeGraphs, toElements, type ViewFilter } from '../graph-model';
import { drawGraph } from '../graph-view';
import { prefs, roleText, t } from '../i18n';
import { navigate, type Page } from '../router';
import { problemView } from '../views';

type Direction = 'forward' | 'backward';

/** GET /accounts/{key}/trace answers with hops and the same trace as a graph. */
interface TraceResponse {
  readonly graph?: Graph;
  readonly nodes?: Graph['nodes'];
  readonly edges?: Graph['edges'];
  /** Where a bound stopped the trace; hubs were reached but not expanded. */
  readonly cuts?: readonly {
    readonly kind: string;
    readonly accountKey?: string;
    readonly degree?: number;
  }[];
}
const graphOf = (response: TraceResponse): Graph => {
  const found = response.graph ?? { nodes: response.nodes ?? [], edges: response.edges ?? [] };
  const hubs = new Map(
    (response.cuts ?? []).flatMap((cut) =>
      cut.kind === 'hub' && cut.accountKey && cut.degree !== undefined
        ? [[cut.accountKey, cut.degree] as const]
        : [],
    ),
  );
  if (hubs.size === 0) return found;
  return {
    ...found,
    nodes: found.nodes.map((n) => {
      const degree = hubs.get(n.accountKey);
      return degree === undefined ? n : { ...n, hubDegree: degree };
    }),
  };
};

const tracePath = (accountKey: string) => `/accounts/${encodeURIComponent(accountKey)}/trace`;

export const renderGraphExplorer: Page = (main, route) => {
  const startAccount = route.query.get('account') ?? '';
  const startCase = route.query.get('case') ?? '';
  let graph: Graph = { nodes: [], edges: [] };
  let selectedKey: string | undefined = startAccount || undefined;
  let lastQuery: { accountKey: string; direction: Direction; hops: number } | undefined;

  const accountInput = h('input', { type: 'text', value: startAccount, size: 40, name: 'account' });
  const caseInput = h('input', { type: 'text', value: startCase, size: 24, name: 'case' });
  const direction = h(
    'select',
    { name: 'direction' },
    h('option', { value: 'forward' }, t('forward')),
    h('option', { value: 'backward', selected: route.query.get('direction') === 'backward' }, t('backward')),
  );
  const hops = h('input', {
    type: 'number',
    min: 1,
    max: 6,
    value: route.query.get('hops') ?? 2,
    name: 'hops',
  });
  const slider = h('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, name: 'window' });
  const sliderText = h('output', { for: '' });
  const minAmount = h('input', {
    type: 'text',
    inputmode: 'decimal',
    size: 12,
    name: 'minAmount',
    placeholder: '0.00',
  });
  const hubLimit = h('input', { type: 'number', min: 1, max: 100, value: 8, name: 'hubLimit' });
  const nodeList = h('select', { name: 'node' });
  const status = h('p', { class: 'muted', role: 'status' });
  const problem = h('div');
  const canvas = h('div', {
    class: 'graph tall',
    id: 'explorer-graph',
    role: 'img',
    'aria-label': t('graphTitle'),
  });

  const times = () =>
    [...new Set(graph.edges.map((e) => e.bookedAt))].sort((a, b) => Date.parse(a) - Date.parse(b));
  const filter = (): ViewFilter => {
    const all = times();
    const until = all[Number(slider.value)];
    return {
      ...(until && Number(slider.value) < all.length - 1 ? { until } : {}),
      ...(minAmount.value.trim() && /^\d+(\.\d+)?$/.test(minAmount.value.trim())
        ? { minAmount: minAmount.value.trim() }
        : {}),
      hubLimit: Math.max(1, Number(hubLimit.value) || 8),
    };
  };

  const redraw = () => {
    const all = times();
    const atEnd = Number(slider.value) >= Number(slider.max);
    slider.max = String(Math.max(0, all.length - 1));
    if (atEnd) slider.value = slider.max;
    const until = all[Number(slider.value)];
    const untilText = until ? formatTime(until, prefs.locale(), prefs.timeZone()) : '—';
    sliderText.textContent = untilText;
    slider.setAttribute('aria-valuetext', untilText);
    const elements = toElements(graph, prefs.locale(), prefs.timeZone(), filter(), roleText);
    clear(nodeList);
    nodeList.append(
      h('option', { value: '' }, '—'),
      ...elements.nodes
        .filter((n) => n.data.accountKey)
        .map((n) =>
          h(
            'option',
            { value: n.data.accountKey, selected: n.data.accountKey === selectedKey },
            n.data.accountKey,
          ),
        ),
    );
    status.textContent = t('nodesAndEdges', {
      nodes: elements.nodes.filter((n) => n.data.accountKey).length,
      edges: elements.edges.filter((e) => e.data.transferId).length,
    });
    const cy = drawGraph(canvas, elements, (key) => {
      selectedKey = key;
      if (key) nodeList.value = key;
    });
    if (selectedKey) cy.getElementById(selectedKey).select();
  };

  const trace = async (accountKey: string, dir: Direction, n: number): Promise<Graph> =>
    graphOf(
      // The minimum amount is applied in the view: the API's filter needs one currency, a trace mixes several.
      await api.get<TraceResponse>(tracePath(accountKey), { direction: dir, hops: n }),
    );

  const load = async (replace: boolean, accountKey: string, dir: Direction, n: number) => {
    try {
      clear(problem);
      const found = await trace(accountKey, dir, n);
      graph = replace ? found : mergeGraphs(graph, found);
      if (replace) lastQuery = { accountKey, direction: dir, hops: n };
      redraw();
    } catch (error) {
      problem.append(problemView(error));
    }
  };

  const loadCase = async (caseId: string) => {
    try {
      clear(problem);
      const detail = await api.get<{ report: { victimAccountKeys: string[] } }>(
        `/cases/${encodeURIComponent(caseId)}`,
      );
      const victims = new Set(detail.report.victimAccountKeys);
      graph = { nodes: [], edges: [] };
      for (const key of victims)
        graph = mergeGraphs(graph, await trace(key, 'forward', Number(hops.value) || 2));
      const first = [...victims][0];
      if (first) lastQuery = { accountKey: first, direction: 'forward', hops: Number(hops.value) || 2 };
      redraw();
    } catch (error) {
      problem.append(problemView(error));
    }
  };

  /** GraphML is one file; CSV is two (nodes and edges), as Gephi's spreadsheet importer takes them. */
  const exportFile = async (format: 'graphml' | 'csv') => {
    if (!lastQuery) return;
    const query = { direction: lastQuery.direction, hops: lastQuery.hops, format };
    try {
      if (format === 'graphml') {
        const file = await api.fetchFile(
          tracePath(lastQuery.accountKey),
          query,
          'application/graphml+xml',
          'trace.graphml',
        );
        saveBlob(file.blob, file.name);
        return;
      }
      for (const part of ['nodes', 'edges']) {
        const file = await api.fetchFile(
          tracePath(lastQuery.accountKey),
          { ...query, part },
          'text/csv',
          `trace-${part}.csv`,
        );
        saveBlob(file.blob, file.name);
      }
    } catch (error) {
      toast(String(error), 'error');
    }
  };

  const exportPng = () => {
    const cy = window.consoleGraph;
    if (!cy) return;
    const blob = cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
    saveBlob(blob, `graph-${lastQuery?.accountKey.replace(/[^A-Za-z0-9_-]+/g, '_') ?? 'view'}.png`);
  };

  const expand = (dir: Direction) => {
    const key = selectedKey ?? (nodeList.value || undefined);
    if (!key) {
      toast(t('noneSelected'));
      return;
    }
    void load(false, key, dir, 1);
  };

  const startForm = h(
    'form',
    {
      class: 'filters',
      'aria-label': t('startFromAccount'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const key = accountInput.value.trim();
        if (!key) return;
        selectedKey = key;
        const next = new URLSearchParams({ account: key, direction: direction.value, hops: hops.value });
        navigate(`#/graph?${next.toString()}`);
      },
    },
    labelled(t('accountKey'), accountInput),
    labelled(t('direction'), direction),
    labelled(t('hops'), hops),
    h('button', { type: 'submit' }, t('load')),
  );
  const caseForm = h(
    'form',
    {
      class: 'filters',
      'aria-label': t('startFromCase'),
      onsubmit: (event: Event) => {
        event.preventDefault();
        const id = caseInput.value.trim();
        if (id) navigate(`#/graph?case=${encodeURIComponent(id)}`);
      },
    },
    labelled(t('caseIdLabel'), caseInput),
    h('button', { type: 'submit' }, t('startFromCase')),
  );
  const viewControls = h(
    'div',
    { class: 'filters', role: 'group', 'aria-label': t('filters') },
    h('div', { class: 'field' }, h('label', { for: 'window-slider' }, t('timeWindow')), slider, sliderText),
    labelled(t('minAmount'), minAmount),
    labelled(t('hubLimit'), hubLimit),
  );
  slider.id = 'window-slider';
  sliderText.htmlFor.add('window-slider');
  slider.addEventListener('input', redraw);
  minAmount.addEventListener('change', redraw);
  hubLimit.addEventListener('change', redraw);
  nodeList.addEventListener('change', () => {
    selectedKey = nodeList.value || undefined;
    window.consoleGraph?.nodes().unselect();
    if (selectedKey) window.consoleGraph?.getElementById(selectedKey).select();
  });
  const expandControls = h(
    'div',
    { class: 'filters', role: 'group', 'aria-label': t('selectedNode') },
    labelled(t('accountsInView'), nodeList),
    h('button', { type: 'button', onclick: () => expand('forward') }, t('expandForward')),
    h('button', { type: 'button', onclick: () => expand('backward') }, t('expandBackward')),
    h('button', { type: 'button', onclick: () => void exportFile('graphml') }, t('exportGraphml')),
    h('button', { type: 'button', onclick: () => void exportFile('csv') }, t('exportCsv')),
    h('button', { type: 'button', onclick: exportPng }, t('exportPng')),
  );

  main.append(
    h('h1', {}, t('graphTitle')),
    startForm,
    caseForm,
    viewControls,
    expandControls,
    status,
    problem,
    canvas,
  );
  if (startAccount)
    void load(
      true,
      startAccount,
      direction.value === 'backward' ? 'backward' : 'forward',
      Number(hops.value),
    );
  else if (startCase) void loadCase(startCase);
  return () => window.consoleGraph?.destroy();
};
