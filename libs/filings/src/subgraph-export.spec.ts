import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { csvCell, edgesCsv, nodesCsv, toGraphml, type Subgraph } from './subgraph-export';

const GRAPH: Subgraph = {
  nodes: [
    {
      id: 'KASITHBK:111',
      accountKey: 'KASITHBK:111',
      kind: 'bank-account',
      institutionId: 'KASITHBK',
      country: 'TH',
      roles: ['victim'],
    },
    { id: 'tron:T,"x"', accountKey: 'tron:T,"x"', kind: 'wallet', institutionId: null, country: null },
  ],
  edges: [
    {
      id: 'bank:KASITHBK:T1',
      transferId: 'bank:KASITHBK:T1',
      from: 'KASITHBK:111',
      to: 'tron:T,"x"',
      bookedAt: '2026-11-20T10:00:00.000Z',
      amount: { amountMinor: '1500000', currency: 'THB', scale: 2, decimal: '15000.00' },
    },
  ],
};

describe('subgraph export', () => {
  it('writes nodes and edges CSV with quoting per RFC 4180 and exact amounts', () => {
    expect(nodesCsv(GRAPH)).toBe(
      'id,accountKey,kind,institutionId,country,roles\r\n' +
        'KASITHBK:111,KASITHBK:111,bank-account,KASITHBK,TH,victim\r\n' +
        '"tron:T,""x""","tron:T,""x""",wallet,,,\r\n',
    );
    expect(edgesCsv(GRAPH)).toBe(
      'id,transferId,from,to,bookedAt,amountMinor,currency,scale,amount\r\n' +
        'bank:KASITHBK:T1,bank:KASITHBK:T1,KASITHBK:111,"tron:T,""x""",2026-11-20T10:00:00.000Z,1500000,THB,2,15000.00\r\n',
    );
  });

  it('keeps a spreadsheet from running an exported id as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes GraphML with every attribute declared and typed, amounts as text', () => {
    const xml = toGraphml(GRAPH);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
    }).parse(xml) as {
      graphml: {
        xmlns: string;
        key: { id: string; for: string; 'attr.type': string }[];
        graph: {
          edgedefault: string;
          node: unknown[];
          edge: { source: string; target: string; data: { key: string; '#text': string }[] };
        };
      };
    };

    expect(doc.graphml.xmlns).toBe('http://graphml.graphdrawing.org/xmlns');
    const declared = new Map(doc.graphml.key.map((k) => [k.id, `${k.for}:${k['attr.type']}`]));
    expect(declared.get('amount')).toBe('edge:string');
    expect(declared.get('amountMinor')).toBe('edge:long');
    expect(declared.get('country')).toBe('node:string');
    expect(doc.graphml.graph.edgedefault).toBe('directed');
    expect(doc.graphml.graph.node).toHaveLength(2);
    const edge = doc.graphml.graph.edge;
    expect(edge.target).toBe('tron:T,"x"');
    for (const d of edge.data) expect(declared.has(d.key)).toBe(true);
    expect(edge.data.find((d) => d.key === 'amount')?.['#text']).toBe('15000.00');
  });
});
