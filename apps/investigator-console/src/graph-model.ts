import type { AlertRaised, Graph, GraphEdge, GraphNode } from './api-types';
import { compareDecimal, formatMoney, formatTime, fromMinor, type Locale } from './format';

/** Cytoscape element data, kept as plain objects so the model is testable without a browser. */
export interface NodeData {
  readonly id: string;
  readonly label: string;
  readonly accountKey: string;
  readonly institutionId: string;
  readonly country: string;
  readonly roles: string;
  readonly collapsed?: number;
}
export interface EdgeData {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label: string;
  readonly transferId: string;
  readonly bookedAt: string;
  readonly amount: string;
  readonly currency: string;
  /** 1-based position in time order. */
  readonly order: number;
}
export interface Elements {
  readonly nodes: { data: NodeData; classes: string }[];
  readonly edges: { data: EdgeData }[];
}

const institutionOfKey = (accountKey: string): string => accountKey.split(':')[0] ?? accountKey;

/** The alert's evidence path as a graph, nodes described by what the alert knows about each account. */
export const graphOfAlert = (alert: AlertRaised): Graph => {
  const known = new Map<
    string,
    { institutionId: string; country: string; kind?: string; roles: Set<string> }
  >();
  const remember = (
    account: { accountKey: string; institutionId: string; country: string; kind?: string },
    role: string,
  ) => {
    const entry = known.get(account.accountKey) ?? {
      institutionId: account.institutionId,
      country: account.country,
      ...(account.kind ? { kind: account.kind } : {}),
      roles: new Set<string>(),
    };
    entry.roles.add(role);
    known.set(account.accountKey, entry);
  };
  remember(alert.subject, alert.subject.role);
  for (const account of alert.involved) remember(account, account.role);
  for (const holder of alert.tracing?.holders ?? []) remember(holder.account, holder.account.role);

  const edges: GraphEdge[] = alert.evidence.edges.map((edge) => {
    const money = fromMinor(edge.amount);
    return {
      id: edge.transferId,
      transferId: edge.transferId,
      from: edge.fromKey,
      to: edge.toKey,
      bookedAt: edge.bookedAt,
      amount: { ...money, minor: edge.amount.amountMinor, scale: edge.amount.scale },
    };
  });
  const keys = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodes: GraphNode[] = [...keys].map((accountKey) => {
    const info = known.get(accountKey);
    return {
      id: accountKey,
      accountKey,
      institutionId: info?.institutionId ?? institutionOfKey(accountKey),
      country: info?.country ?? 'ZZ',
      ...(info?.kind ? { kind: info.kind } : {}),
      roles: info ? [...info.roles] : [],
    };
  });
  return { nodes, edges };
};

export interface ViewFilter {
  /** Hide transfers booked after this instant (the time window slider). */
  readonly until?: string;
  /** Hide transfers below this decimal amount (in each transfer's own currency). */
  readonly minAmount?: string;
  /** Collapse a hub's one-transfer neighbours beyond this many into one "+N" node. */
  readonly hubLimit?: number;
}

const shortKey = (key: string): string => (key.length > 28 ? `${key.slice(0, 14)}…${key.slice(-10)}` : key);

/** Filters, orders by time and collapses hubs; returns Cytoscape elements with every label a user reads. */
export const toElements = (
  graph: Graph,
  locale: Locale,
  timeZone: string,
  filter: ViewFilter = {},
  roleLabel: (role: string) => string = (role) => role,
): Elements => {
  const untilMs = filter.until ? Date.parse(filter.until) : undefined;
  const edges = graph.edges
    .filter((e) => untilMs === undefined || Date.parse(e.bookedAt) <= untilMs)
    .filter((e) => !filter.minAmount || compareDecimal(e.amount.decimal, filter.minAmount) >= 0)
    .slice()
    .sort((a, b) => Date.parse(a.bookedAt) - Date.parse(b.bookedAt) || a.id.localeCompare(b.id));

  // Hubs: accounts with more counterparties than the limit keep the largest transfers; leaf neighbours
  // (one transfer, nothing else) beyond the limit fold into one "+N" node.
  const hidden = new Set<string>();
  const collapsedInto = new Map<string, number>();
  if (filter.hubLimit !== undefined) {
    const degree = new Map<string, number>();
    for (const e of edges) {
      degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
      degree.set(e.to, (degree.get(e.to) ?? 0) + 1);
    }
    for (const [hub, count] of degree) {
      if (count <= filter.hubLimit) continue;
      const leaves = edges
        .filter((e) => (e.from === hub || e.to === hub) && degree.get(e.from === hub ? e.to : e.from) === 1)
        .sort((a, b) => compareDecimal(b.amount.decimal, a.amount.decimal));
      const fold = leaves.slice(Math.max(0, filter.hubLimit - (count - leaves.length)));
      for (const e of fold) hidden.add(e.from === hub ? e.to : e.from);
      if (fold.length > 0) collapsedInto.set(hub, fold.length);
    }
  }
  const visibleEdges = edges.filter((e) => !hidden.has(e.from) && !hidden.has(e.to));
  const used = new Set(visibleEdges.flatMap((e) => [e.from, e.to]));
  for (const hub of collapsedInto.keys()) used.add(hub);

  const nodes = graph.nodes
    .filter((n) => used.has(n.id))
    .map((n) => {
      const roles = n.roles ?? [];
      const place = `${n.institutionId ?? '?'} · ${n.country ?? '?'}`;
      const roleText = roles.map(roleLabel).join(', ');
      const hubText = n.hubDegree !== undefined ? `⊕ ${n.hubDegree}` : '';
      return {
        data: {
          id: n.id,
          label: [shortKey(n.accountKey), place, roleText, hubText].filter(Boolean).join('\n'),
          accountKey: n.accountKey,
          institutionId: n.institutionId ?? '',
          country: n.country ?? '',
          roles: roles.join(' '),
        },
        classes: [
          'account',
          ...roles.map((r) => `role-${r}`),
          n.kind ? `kind-${n.kind}` : '',
          n.hubDegree !== undefined ? 'hub' : '',
        ]
          .join(' ')
          .trim(),
      };
    });
  const collapsedNodes = [...collapsedInto].map(([hub, count]) => ({
    data: {
      id: `collapsed:${hub}`,
      label: `+${count}`,
      accountKey: '',
      institutionId: '',
      country: '',
      roles: '',
      collapsed: count,
    },
    classes: 'collapsed',
  }));
  const collapsedEdges = [...collapsedInto].map(([hub, count], i) => ({
    data: {
      id: `collapsed-edge:${hub}`,
      source: hub,
      target: `collapsed:${hub}`,
      label: `${count}`,
      transferId: '',
      bookedAt: '',
      amount: '',
      currency: '',
      order: visibleEdges.length + i + 1,
    },
  }));
  return {
    nodes: [...nodes, ...collapsedNodes],
    edges: [
      ...visibleEdges.map((e, i) => ({
        data: {
          id: e.id,
          source: e.from,
          target: e.to,
          label: `${i + 1}. ${formatMoney(e.amount)}\n${formatTime(e.bookedAt, locale, timeZone)}`,
          transferId: e.transferId,
          bookedAt: e.bookedAt,
          amount: e.amount.decimal,
          currency: e.amount.currency,
          order: i + 1,
        },
      })),
      ...collapsedEdges,
    ],
  };
};

/** Joins graphs (expanding one hop adds to what is shown), first description of a node wins. */
export const mergeGraphs = (a: Graph, b: Graph): Graph => {
  const nodes = new Map(a.nodes.map((n) => [n.id, n]));
  for (const n of b.nodes) {
    const seen = nodes.get(n.id);
    nodes.set(
      n.id,
      seen
        ? {
            ...seen,
            roles: [...new Set([...(seen.roles ?? []), ...(n.roles ?? [])])],
            ...(n.hubDegree !== undefined ? { hubDegree: n.hubDegree } : {}),
          }
        : n,
    );
  }
  const edges = new Map(a.edges.map((e) => [e.id, e]));
  for (const e of b.edges) if (!edges.has(e.id)) edges.set(e.id, e);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
};
