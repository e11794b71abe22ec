import type { AlertRaised, Graph } from './api-types';
import { graphOfAlert, mergeGraphs, toElements } from './graph-model';

const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD', scale: 2 });
const account = (accountKey: string, country: string, role: string) => ({
  accountKey,
  accountId: accountKey.split(':')[1] ?? accountKey,
  institutionId: accountKey.split(':')[0] ?? '',
  country,
  role,
});

const alert = {
  alertId: 'A-1',
  version: 2,
  typology: 'proceeds.cross-border',
  subject: account('BANKA:victim', 'TH', 'victim'),
  involved: [account('BANKA:victim', 'TH', 'victim'), account('BANKB:mule-1', 'TH', 'mule')],
  tracing: {
    preferredRule: 'fifo',
    victims: [],
    ledger: [],
    holders: [
      {
        account: account('VASPKH:K', 'KH', 'off-ramp'),
        amounts: [],
        crossBorderReasons: [],
        librApplied: false,
      },
    ],
  },
  evidence: {
    counterparties: [],
    edges: [
      // Listed out of time order on purpose: the view numbers transfers by time.
      {
        transferId: 't2',
        fromKey: 'BANKB:mule-1',
        toKey: 'VASPKH:K',
        bookedAt: '2026-11-23T02:20:00Z',
        amount: usd('360000'),
      },
      {
        transferId: 't1',
        fromKey: 'BANKA:victim',
        toKey: 'BANKB:mule-1',
        bookedAt: '2026-11-23T02:15:00Z',
        amount: usd('300000'),
      },
    ],
  },
} as unknown as AlertRaised;

describe('graph model', () => {
  it('draws the alert’s path in time order with amount and Bangkok time on every edge', () => {
    const elements = toElements(graphOfAlert(alert), 'en', 'Asia/Bangkok');
    expect(elements.edges.map((e) => [e.data.order, e.data.source, e.data.target])).toEqual([
      [1, 'BANKA:victim', 'BANKB:mule-1'],
      [2, 'BANKB:mule-1', 'VASPKH:K'],
    ]);
    expect(elements.edges[0]?.data.label).toMatch(/^1\. 3,000\.00 USD\n.*09:15:00/);
    expect(elements.edges[1]?.data.label).toMatch(/^2\. 3,600\.00 USD\n.*09:20:00/);
  });

  it('puts institution, country and role on every node', () => {
    const nodes = toElements(graphOfAlert(alert), 'en', 'UTC').nodes;
    const byId = Object.fromEntries(nodes.map((n) => [n.data.id, n]));
    expect(byId['VASPKH:K']?.data.label).toBe('VASPKH:K\nVASPKH · KH\noff-ramp');
    expect(byId['BANKA:victim']?.classes).toContain('role-victim');
    expect(byId['BANKB:mule-1']?.data).toMatchObject({
      institutionId: 'BANKB',
      country: 'TH',
      roles: 'mule',
    });
  });

  const hub: Graph = {
    nodes: ['H', 'a', 'b', 'c', 'd', 'x'].map((id) => ({
      id,
      accountKey: id,
      institutionId: 'I',
      country: 'TH',
    })),
    edges: [
      ...['a', 'b', 'c', 'd'].map((from, i) => ({
        id: `e${from}`,
        transferId: `e${from}`,
        from,
        to: 'H',
        bookedAt: `2026-11-23T02:0${i}:00Z`,
        amount: { decimal: `${i + 1}00.00`, currency: 'THB' },
      })),
      {
        id: 'ex',
        transferId: 'ex',
        from: 'H',
        to: 'x',
        bookedAt: '2026-11-23T02:09:00Z',
        amount: { decimal: '50.00', currency: 'THB' },
      },
    ],
  };

  it('collapses a hub’s smallest one-transfer neighbours into one node with their count', () => {
    const elements = toElements(hub, 'en', 'UTC', { hubLimit: 3 });
    // H has 5 counterparties; with a limit of 3 it keeps the 3 largest (d 400, c 300, b 200).
    expect(elements.nodes.map((n) => n.data.id).sort()).toEqual(['H', 'b', 'c', 'collapsed:H', 'd']);
    expect(elements.nodes.find((n) => n.data.id === 'collapsed:H')?.data).toMatchObject({
      label: '+2',
      collapsed: 2,
    });
  });

  it('hides transfers after the time window and below the minimum amount, exactly', () => {
    const elements = toElements(hub, 'en', 'UTC', { until: '2026-11-23T02:02:00Z', minAmount: '200.00' });
    expect(elements.edges.map((e) => e.data.id)).toEqual(['eb', 'ec']);
  });

  it('merges an expansion without duplicating transfers and keeps every role seen', () => {
    const more: Graph = {
      nodes: [{ id: 'H', accountKey: 'H', roles: ['collector'] }],
      edges: [hub.edges[0] as Graph['edges'][number]],
    };
    const merged = mergeGraphs(hub, more);
    expect(merged.edges).toHaveLength(5);
    expect(merged.nodes.find((n) => n.id === 'H')?.roles).toEqual(['collector']);
  });
});
