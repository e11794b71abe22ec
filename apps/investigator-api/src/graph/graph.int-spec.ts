import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import neo4j, { type Driver } from 'neo4j-driver';
import {
  accountKeyOf,
  bankTransferIdOf,
  type AccountFactObserved,
  type TransferAccepted,
} from '@scamflow/contracts';
import { AccountFactRepository, AlertInboxRepository, TransferRepository } from '@scamflow/graph';
import { testServers } from '../../../../test/support/test-env';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { alertFixture } from '../testing/alert-fixtures.testing';
import { StoreProbe } from '../testing/store-probe.testing';

const run = randomUUID().slice(0, 8).toUpperCase();
const bankA = `GA${run}`;
const bankB = `GB${run}`;
const id = (name: string) => `${name}-${run}`;
const key = (name: string, bank = bankA) => accountKeyOf(bank, id(name));
const at = (hhmm: string) => `2026-11-22T${hhmm}:00.000Z`;

let sequence = 0;
const transfer = (
  from: string,
  to: string,
  hhmm: string,
  amountMinor: string,
  toBank = bankA,
): TransferAccepted => {
  sequence += 1;
  return {
    schemaVersion: 1,
    transferId: bankTransferIdOf(bankA, `G${sequence}-${run}`),
    rail: 'bank',
    reportedBy: bankA,
    bookedAt: at(hhmm),
    amount: { amountMinor, currency: 'THB', scale: 2 },
    debtor: { accountKey: key(from), accountId: id(from), institutionId: bankA, country: 'TH' },
    creditor: { accountKey: key(to, toBank), accountId: id(to), institutionId: toBank, country: 'TH' },
    source: { topic: 'graph.int-spec', partition: 0, offset: String(sequence) },
    acceptedAt: at('23:00'),
  };
};

describe('graph queries over HTTP', () => {
  const servers = testServers();
  let driver: Driver;
  let api: ApiHarness;
  const get = (path: string, token: string) =>
    fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers([
      transfer('victim', 'mule', '10:00', '1500000'),
      transfer('mule', 'mule2', '10:05', '700000'),
      transfer('mule', 'collector', '10:06', '790000', bankB),
      transfer('mule2', 'collector', '10:09', '690000', bankB),
    ]);
    const fact: AccountFactObserved = {
      schemaVersion: 1,
      kind: 'identifier-seen',
      factId: `dev-${run}`,
      reportedBy: bankA,
      observedAt: at('08:00'),
      accountId: id('mule'),
      institutionId: bankA,
      country: 'TH',
      identifierType: 'device',
      identifierValue: `device0000${run}`,
      seenAt: at('08:00'),
    };
    await new AccountFactRepository(driver, servers.neo4jDatabase).recordFacts([fact]);
    api = await startApiHarness({
      API_CONSUME_ALERTS: 'false',
    });
  });

  afterAll(async () => {
    await api.close();
    await driver.close();
  });

  it('profiles an account with exact totals and clear identifiers for an investigator', async () => {
    const response = await get(`/accounts/${encodeURIComponent(key('mule'))}`, api.tokenFor('investigator'));
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      accountKey: key('mule'),
      institutionId: bankA,
      identifiersMasked: false,
      identifiers: [{ type: 'device', identifier: `device:device0000${run}` }],
      totals: {
        in: [{ amountMinor: '1500000', currency: 'THB', scale: 2, decimal: '15000.00' }],
        out: [{ amountMinor: '1490000', currency: 'THB', scale: 2, decimal: '14900.00' }],
        transfersIn: 1,
        transfersOut: 2,
        complete: true,
      },
      counterparties: { count: 3, complete: true },
      alerts: [],
    });
  });

  it("lists an account's alerts and their cases, and profiles an account that has moved no money", async () => {
    const ownBank = `GO${run}`;
    const caseId = `case-${run}`;
    await new AlertInboxRepository(driver, servers.neo4jDatabase).recordVersions(
      [alertFixture({ alertId: `alert-${run}`, ownBank, otherBank: `GX${run}`, caseId })],
      new Date().toISOString(),
    );

    const response = await get(
      `/accounts/${encodeURIComponent(`${ownBank}:MULE0001`)}`,
      api.tokenFor('investigator'),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      accountKey: `${ownBank}:MULE0001`,
      institutionId: ownBank,
      identifiers: [],
      totals: { in: [], out: [], transfersIn: 0, transfersOut: 0, complete: true },
      counterparties: { count: 0, complete: true },
      alerts: [
        {
          alertId: `alert-${run}`,
          typology: 'proceeds.cross-border',
          severity: 'high',
          state: 'new',
          version: 1,
          role: 'mule',
        },
      ],
      cases: [caseId],
    });
  });

  it('masks identifiers for an analyst and shows a bank only its own accounts', async () => {
    const analyst = (await (
      await get(`/accounts/${encodeURIComponent(key('mule'))}`, api.tokenFor('analyst'))
    ).json()) as {
      identifiers: { identifier: string }[];
    };
    expect(analyst.identifiers.map((i) => i.identifier)).toEqual([`device:****${run.slice(-4)}`]);

    const own = await get(
      `/accounts/${encodeURIComponent(key('mule'))}`,
      api.tokenFor('bank', { institutionId: bankA }),
    );
    expect(own.status).toBe(200);
    const other = await get(
      `/accounts/${encodeURIComponent(key('collector', bankB))}`,
      api.tokenFor('bank', { institutionId: bankA }),
    );
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('traces a victim forward as pages of hops plus the whole graph, amounts as decimal strings', async () => {
    const token = api.tokenFor('investigator');
    const first = (await (
      await get(
        `/accounts/${encodeURIComponent(key('victim'))}/trace?direction=forward&hops=3&limit=2`,
        token,
      )
    ).json()) as {
      items: { depth: number; from: string; to: string; amount: { decimal: string } }[];
      nextCursor: string | null;
      totalHops: number;
      graph: { nodes: { accountKey: string }[]; edges: unknown[] };
      cuts: unknown[];
    };

    expect(first.totalHops).toBe(4);
    expect(first.items.map((h) => [h.depth, h.from, h.to, h.amount.decimal])).toEqual([
      [1, key('victim'), key('mule'), '15000.00'],
      [2, key('mule'), key('mule2'), '7000.00'],
    ]);
    expect(first.graph.nodes.map((n) => n.accountKey).sort()).toEqual(
      [key('victim'), key('mule'), key('mule2'), key('collector', bankB)].sort(),
    );
    expect(first.graph.edges).toHaveLength(4);
    expect(first.cuts).toEqual([]);
    const second = (await (
      await get(
        `/accounts/${encodeURIComponent(key('victim'))}/trace?direction=forward&hops=3&limit=2&cursor=${first.nextCursor ?? ''}`,
        token,
      )
    ).json()) as { items: { to: string }[]; nextCursor: string | null };
    expect(second.items.map((h) => h.to)).toEqual([key('collector', bankB), key('collector', bankB)]);
    expect(second.nextCursor).toBeNull();
  });

  it('exports a trace as nodes and edges CSV and as GraphML', async () => {
    const token = api.tokenFor('investigator');
    const path = `/accounts/${encodeURIComponent(key('victim'))}/trace?direction=forward&hops=3`;
    const edges = await get(`${path}&format=csv&part=edges`, token);
    expect(edges.headers.get('content-type')).toContain('text/csv');
    expect(edges.headers.get('content-disposition')).toContain('edges.csv');
    const lines = (await edges.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,transferId,from,to,bookedAt,amountMinor,currency,scale,amount');
    expect(lines).toHaveLength(5);
    const nodes = await (await get(`${path}&format=csv&part=nodes`, token)).text();
    expect(nodes.trim().split('\r\n')).toHaveLength(5);
    const graphml = await (await get(`${path}&format=graphml`, token)).text();
    expect(XMLValidator.validate(graphml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(graphml) as {
      graphml: { graph: { edge: unknown[] } };
    };
    expect(doc.graphml.graph.edge).toHaveLength(4);
  });

  it('has every export on the audit log by the time its file arrives', async () => {
    const store = new StoreProbe();
    try {
      const path = `/accounts/${encodeURIComponent(key('victim'))}/trace?direction=forward&hops=3`;
      const before = (await store.auditEntries(api.config.API_AUDIT_CHAIN_ID)).length;
      for (const [n, format] of [
        'format=csv&part=edges',
        'format=csv&part=nodes',
        'format=graphml',
      ].entries()) {
        const exported = await get(`${path}&${format}`, api.tokenFor('investigator', { sub: `exp-${n}` }));
        await exported.text();
        // No polling: the entry must already be there when the last byte of the file has arrived.
        const entries = await store.auditEntries(api.config.API_AUDIT_CHAIN_ID);
        expect(entries.slice(before + n)).toEqual([
          expect.objectContaining({ route: 'GET /accounts/:accountKey/trace', status: 200, sub: `exp-${n}` }),
        ]);
      }
    } finally {
      await store.close();
    }
  });

  it('finds the money paths between two accounts', async () => {
    const response = await get(
      `/paths?from=${encodeURIComponent(key('victim'))}&to=${encodeURIComponent(key('collector', bankB))}&maxHops=3`,
      api.tokenFor('investigator'),
    );
    const body = (await response.json()) as { found: boolean; items: { transferId: string }[] };

    expect(response.status).toBe(200);
    expect(body.found).toBe(true);
    expect(body.items).toHaveLength(4);
  });

  it('answers past a hard limit with a 400 problem naming it', async () => {
    const token = api.tokenFor('investigator');
    const cases: [string, string][] = [
      [`/accounts/${encodeURIComponent(key('victim'))}/trace?hops=1000`, 'query.hops'],
      [`/accounts/${encodeURIComponent(key('victim'))}/trace?maxTransfers=50000`, 'query.maxTransfers'],
      [`/accounts/${encodeURIComponent(key('victim'))}/trace?limit=100000`, 'query.limit'],
      [
        `/accounts/${encodeURIComponent(key('victim'))}/trace?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
        'query.to',
      ],
      [
        `/paths?from=${encodeURIComponent(key('victim'))}&to=${encodeURIComponent(key('mule'))}&window=P9999D`,
        'query.window',
      ],
      [`/accounts/${encodeURIComponent("x' OR 1=1 //")}`, 'path.accountKey'],
      [`/accounts/${encodeURIComponent('MATCH (n) DETACH DELETE n')}/trace`, 'path.accountKey'],
    ];
    for (const [path, field] of cases) {
      const response = await get(path, token);
      const body = (await response.json()) as {
        status: number;
        errors?: { path: string; message: string }[];
      };
      expect([path, response.status, response.headers.get('content-type')]).toEqual([
        path,
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(body.errors?.map((e) => e.path)).toContain(field);
    }
    const hops = (await (
      await get(`/accounts/${encodeURIComponent(key('victim'))}/trace?hops=1000`, token)
    ).json()) as {
      errors: { message: string }[];
    };
    expect(hops.errors[0]?.message).toContain('limited to 10');
  });

  it('keeps graph queries from roles that may not run them', async () => {
    const path = `/accounts/${encodeURIComponent(key('victim'))}/trace`;
    expect((await get(path, api.tokenFor('hotline'))).status).toBe(403);
    expect((await get(path, api.tokenFor('bank'))).status).toBe(403);
    expect(
      (await get(`/accounts/${encodeURIComponent(key('victim'))}`, api.tokenFor('auditor'))).status,
    ).toBe(403);
  });

  describe('with one traversal at a time and none queued', () => {
    let narrow: ApiHarness;

    beforeAll(async () => {
      narrow = await startApiHarness({
        API_CONSUME_ALERTS: 'false',
        API_TRAVERSAL_CONCURRENCY: '1',
        API_TRAVERSAL_QUEUE: '0',
      });
    });

    afterAll(async () => {
      await narrow.close();
    });

    it('refuses the traversals past the bulkhead with 503 and Retry-After, and still serves profiles', async () => {
      const token = narrow.tokenFor('investigator');
      const path = `/accounts/${encodeURIComponent(key('victim'))}/trace?direction=forward&hops=3`;
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          fetch(`${narrow.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }),
        ),
      );
      const refused = answers.filter((a) => a.status === 503);

      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length + answers.filter((a) => a.status === 200).length).toBe(12);
      for (const answer of refused) {
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.headers.get('retry-after')).toBe('1');
        expect(await answer.json()).toMatchObject({ status: 503, title: 'Too many graph traversals' });
      }
      const profile = await fetch(`${narrow.baseUrl}/accounts/${encodeURIComponent(key('mule'))}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(profile.status).toBe(200);
    });
  });
});
