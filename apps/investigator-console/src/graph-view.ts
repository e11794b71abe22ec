import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { Elements } from './graph-model';

cytoscape.use(dagre);

declare global {
  interface Window {
    /** The graph on screen, for browser tests and for the PNG export. */
    consoleGraph?: cytoscape.Core;
  }
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      shape: 'round-rectangle',
      'background-color': '#e8eef7',
      'border-width': 2,
      'border-color': '#4a6fa5',
      label: 'data(label)',
      'text-wrap': 'wrap',
      'text-valign': 'center',
      'font-size': 11,
      width: 190,
      height: 58,
      color: '#1b2430',
    },
  },
  { selector: 'node.role-victim', style: { 'background-color': '#fde2e1', 'border-color': '#b42318' } },
  { selector: 'node.role-mule', style: { 'background-color': '#fff1d6', 'border-color': '#b54708' } },
  { selector: 'node.role-collector', style: { 'background-color': '#fff1d6', 'border-color': '#93370d' } },
  { selector: 'node.role-off-ramp', style: { 'background-color': '#ece3fb', 'border-color': '#6941c6' } },
  { selector: 'node.role-hop-wallet', style: { 'background-color': '#e0f2fe', 'border-color': '#026aa2' } },
  {
    selector: 'node.collapsed',
    style: { shape: 'ellipse', width: 46, height: 46, 'background-color': '#d0d5dd' },
  },
  { selector: 'node.hub', style: { 'border-style': 'double', 'border-width': 6 } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#101828' } },
  {
    selector: 'edge',
    style: {
      width: 2,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'line-color': '#667085',
      'target-arrow-color': '#667085',
      label: 'data(label)',
      'text-wrap': 'wrap',
      'font-size': 10,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
    },
  },
];

/** Draws elements with the dagre layout (left to right, in the money's direction). */
export const drawGraph = (
  container: HTMLElement,
  elements: Elements,
  onSelect: (accountKey: string | undefined) => void = () => undefined,
  /** LR for wide explorations; TB for an alert's path, so a long chain stays readable at full size. */
  rankDir: 'LR' | 'TB' = 'LR',
): cytoscape.Core => {
  window.consoleGraph?.destroy();
  const cy = cytoscape({
    container,
    elements: [...elements.nodes, ...elements.edges],
    style: STYLE,
    layout: {
      name: 'dagre',
      rankDir,
      nodeSep: 30,
      rankSep: rankDir === 'LR' ? 120 : 55,
    } as cytoscape.LayoutOptions,
    maxZoom: 1.4,
  });
  cy.on('select', 'node.account', (event) => {
    const node = event.target as cytoscape.NodeSingular;
    onSelect(String(node.data('accountKey')));
  });
  cy.on('unselect', 'node', () => onSelect(undefined));
  window.consoleGraph = cy;
  return cy;
};
