import { create } from 'xmlbuilder2';
import type { ShownMoney } from './money-text';

/** A graph result as the API returns it (investigator API conventions). */
export interface SubgraphNode {
  readonly id: string;
  readonly accountKey: string;
  readonly kind: string | null;
  readonly institutionId: string | null;
  readonly country: string | null;
  readonly roles?: readonly string[] | undefined;
}

export interface SubgraphEdge {
  readonly id: string;
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly bookedAt: string;
  readonly amount: ShownMoney;
}

export interface Subgraph {
  readonly nodes: readonly SubgraphNode[];
  readonly edges: readonly SubgraphEdge[];
}

export const EXPORT_FORMATS = ['json', 'csv', 'graphml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading
 * apostrophe: exported ids come from producers and must not execute in an investigator's spreadsheet.
 */
export const csvCell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const csv = (
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string => [header.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n') + '\r\n';

export const nodesCsv = (graph: Subgraph): string =>
  csv(
    ['id', 'accountKey', 'kind', 'institutionId', 'country', 'roles'],
    graph.nodes.map((n) => [
      n.id,
      n.accountKey,
      n.kind,
      n.institutionId,
      n.country,
      (n.roles ?? []).join(';'),
    ]),
  );

export const edgesCsv = (graph: Subgraph): string =>
  csv(
    ['id', 'transferId', 'from', 'to', 'bookedAt', 'amountMinor', 'currency', 'scale', 'amount'],
    graph.edges.map((e) => [
      e.id,
      e.transferId,
      e.from,
      e.to,
      e.bookedAt,
      e.amount.amountMinor,
      e.amount.currency,
      e.amount.scale,
      e.amount.decimal,
    ]),
  );

/**
 * GraphML that Gephi and yEd open: every attribute declared as a typed `<key>`. Amounts are written as the
 * exact decimal text (string) plus the minor units as a `long` when they fit, so tools can size edges without
 * the export ever passing money through a float.
 */
export const toGraphml = (graph: Subgraph): string => {
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const root = doc.ele('http://graphml.graphdrawing.org/xmlns', 'graphml');
  const keys: [string, 'node' | 'edge', string, 'string' | 'long' | 'int'][] = [
    ['accountKey', 'node', 'accountKey', 'string'],
    ['kind', 'node', 'kind', 'string'],
    ['institutionId', 'node', 'institutionId', 'string'],
    ['country', 'node', 'country', 'string'],
    ['roles', 'node', 'roles', 'string'],
    ['transferId', 'edge', 'transferId', 'string'],
    ['bookedAt', 'edge', 'bookedAt', 'string'],
    ['amount', 'edge', 'amount', 'string'],
    ['currency', 'edge', 'currency', 'string'],
    ['amountMinor', 'edge', 'amountMinor', 'long'],
    ['scale', 'edge', 'scale', 'int'],
  ];
  for (const [id, target, name, type] of keys) {
    root.ele('key', { id, for: target, 'attr.name': name, 'attr.type': type });
  }
  const g = root.ele('graph', { id: 'G', edgedefault: 'directed' });
  const data = (parent: ReturnType<typeof g.ele>, key: string, value: string | number | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    parent.ele('data', { key }).txt(String(value));
  };
  for (const node of graph.nodes) {
    const n = g.ele('node', { id: node.id });
    data(n, 'accountKey', node.accountKey);
    data(n, 'kind', node.kind);
    data(n, 'institutionId', node.institutionId);
    data(n, 'country', node.country);
    data(n, 'roles', (node.roles ?? []).join(';'));
  }
  const LONG_MAX = 9223372036854775807n;
  for (const edge of graph.edges) {
    const e = g.ele('edge', { id: edge.id, source: edge.from, target: edge.to });
    data(e, 'transferId', edge.transferId);
    data(e, 'bookedAt', edge.bookedAt);
    data(e, 'amount', edge.amount.decimal);
    data(e, 'currency', edge.amount.currency);
    const minor = BigInt(edge.amount.amountMinor);
    data(e, 'amountMinor', minor <= LONG_MAX && minor >= -LONG_MAX ? minor.toString() : undefined);
    data(e, 'scale', edge.amount.scale);
  }
  return doc.end({ prettyPrint: true });
};
