import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { XMLParser } from 'fast-xml-parser';
import Redis from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  TOPICS,
  type BankTransferReceived,
  type FxRatePublished,
  type VaTransferReceived,
  type VictimReportFiled,
} from '@scamflow/contracts';
import { redisKeys } from '@scamflow/rolling-state';
import {
  startApiHarness,
  type ApiHarness,
} from '../../apps/investigator-api/src/testing/api-harness.testing';
import {
  signInToConsole,
  startConsoleBrowser,
  unnamedControls,
  updateScreenshot,
} from '../support/browser-console';
import { expectEventually } from '../support/expect-eventually';
import { GraphProbe } from '../support/graph-probe';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

/**
 * The investigator console in Debian's Chromium, on real servers: a planted cross-border flow (victim → two
 * bank mules → Thai VASP → unhosted wallet → Cambodian VASP) goes through ingest-gateway, graph-writer and
 * proceeds-tracer; the investigator API stores the alerts and serves the console at /console/.
 */
const run = randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const MIN = 60_000;
const base = Date.now() - 3 * 60 * MIN;
const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
const BANK_A = `CA${run}`;
const BANK_B = `CB${run}`;
const BANK_C = `CC${run}`;
const TH_VASP = `CT${run}`;
const KH_VASP = `CK${run}`;
const hash = (n: number) => `${run.toLowerCase()}${String(n).padStart(4, '0')}`.padEnd(64, 'e');
const address = (name: string) => `T${name}${run}`.padEnd(34, 'y');
const usdt = { symbol: 'USDT', decimals: 6 };
const CASE_A = `CASE-CONSOLE-${run}`;
const VICTIM = `${BANK_A}:victim-${run}`;
const MULE_1 = `${BANK_B}:mule-1-${run}`;
const MULE_2 = `${BANK_C}:mule-2-${run}`;
const TH_CUSTOMER = `${TH_VASP}:U-${run}`;
const HOP_WALLET = `tron:${address('hop')}`;
const DEPOSIT_WALLET = `tron:${address('dep')}`;
const K_KEY = `${KH_VASP}:K-${run}`;

const bankTransfer = (
  id: string,
  from: [string, string],
  to: [string, string],
  value: string,
  minutes: number,
) =>
  ({
    schemaVersion: 1,
    reportedBy: from[0],
    transferId: `${id}-${run}`,
    bookedAt: at(minutes),
    amount: { value, currency: 'THB' },
    debtor: { accountId: `${from[1]}-${run}`, bankId: from[0], country: 'TH' },
    creditor: { accountId: `${to[1]}-${run}`, bankId: to[0], country: 'TH' },
  }) satisfies BankTransferReceived;

/** THB 120,000 (USD 3,000 at 0.025) from the victim reaches customer K of a Cambodian VASP as USDT 3,000. */
const bankFlow = [
  bankTransfer('t1', [BANK_A, 'victim'], [BANK_B, 'mule-1'], '120000.00', 0),
  bankTransfer('t2', [BANK_B, 'mule-1'], [BANK_C, 'mule-2'], '120000.00', 4),
];
const vaFlow: VaTransferReceived[] = [
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: TH_VASP,
    vaspCountry: 'TH',
    movementId: `DEP-${run}`,
    movement: 'deposit',
    customerAccountId: `U-${run}`,
    asset: { symbol: 'THB', decimals: 2 },
    amount: '120000.00',
    bookedAt: at(6),
    counterparty: { bankAccount: { accountId: `mule-2-${run}`, bankId: BANK_C, country: 'TH' } },
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: TH_VASP,
    vaspCountry: 'TH',
    movementId: `WD-${run}`,
    movement: 'withdrawal',
    customerAccountId: `U-${run}`,
    asset: usdt,
    amount: '3000',
    bookedAt: at(10),
    counterparty: { chain: 'tron', address: address('hop') },
    txHash: hash(1),
  },
  {
    schemaVersion: 1,
    kind: 'onchain',
    reportedBy: 'CHAINWATCH',
    chain: 'tron',
    txHash: hash(2),
    logIndex: 0,
    from: { address: address('hop'), attribution: { kind: 'unhosted' } },
    to: {
      address: address('dep'),
      attribution: { kind: 'deposit-address', vaspId: KH_VASP, country: 'KH', customerAccountId: `K-${run}` },
    },
    asset: usdt,
    amount: '3000',
    blockTime: at(15),
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: KH_VASP,
    vaspCountry: 'KH',
    movementId: `KDEP-${run}`,
    movement: 'deposit',
    customerAccountId: `K-${run}`,
    asset: usdt,
    amount: '3000',
    bookedAt: at(16),
    counterparty: { chain: 'tron', address: address('dep') },
  },
];
const rate = (baseCurrency: string, value: string): FxRatePublished => ({
  schemaVersion: 1,
  base: baseCurrency,
  quote: 'USD',
  rate: value,
  validFrom: new Date(base - 24 * 60 * MIN).toISOString(),
  source: `console-e2e-${run}`,
});
const report: VictimReportFiled = {
  schemaVersion: 1,
  caseId: CASE_A,
  version: 1,
  reportingChannel: 'hotline-1441',
  reportedAt: at(45),
  scamType: 'call-centre-impersonation',
  victimAccounts: [{ accountId: `victim-${run}`, institutionId: BANK_A, country: 'TH' }],
  reportedTransfers: [{ reference: { reportedBy: BANK_A, transferId: `t1-${run}` } }],
};
const graphIds = [
  ...bankFlow.map((t) => `bank:${t.reportedBy}:${t.transferId}`),
  `vasp:${TH_VASP}:DEP-${run}`,
  `vasp:${TH_VASP}:WD-${run}`,
  `onchain:tron:${hash(2)}:0`,
  `vasp:${KH_VASP}:KDEP-${run}`,
];

describe('investigator console in a browser', () => {
  let pipeline: INestMicroservice[] = [];
  let api: ApiHarness;
  let browser: Browser;
  let probe: TopicProbe;
  let redis: Redis;
  let supervisor: { context: BrowserContext; page: Page };
  const graph = new GraphProbe();
  const servers = testServers();
  const env = serviceEnv(`console-${run.toLowerCase()}`);
  /** The run's alerts only: the shared store also holds other runs' alerts. */
  const inboxHash = `#/inbox?institution=${encodeURIComponent(BANK_A)}`;

  beforeAll(async () => {
    await startServiceGroupsAtEnd(env);
    // One at a time, so afterAll stops whatever did start when a later step fails.
    browser = await startConsoleBrowser();
    api = await startApiHarness();
    pipeline = await startPipeline(env, ['ingest-gateway', 'graph-writer', 'proceeds-tracer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([]);
    redis = new Redis(servers.redisUrl, { keyPrefix: env.REDIS_KEY_PREFIX });
    // Rates first: a transfer converted before its rate is known would carry no reference amount.
    await probe.produce(TOPICS.fxRatePublished, [
      { key: 'THB/USD', value: JSON.stringify(rate('THB', '0.025')) },
      { key: 'USDT/USD', value: JSON.stringify(rate('USDT', '1')) },
    ]);
    await expectEventually(async () => {
      expect(await redis.zcard(redisKeys.fxRates('USDT', 'USD'))).toBe(1);
      expect(await redis.zcard(redisKeys.fxRates('THB', 'USD'))).toBe(1);
    });
    await probe.produce(
      TOPICS.bankTransferReceived,
      bankFlow.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );
    await probe.produce(
      TOPICS.vaTransferReceived,
      vaFlow.map((e) => ({
        key: e.kind === 'onchain' ? e.from.address : e.customerAccountId,
        value: JSON.stringify(e),
      })),
    );
    await expectEventually(
      async () => {
        for (const id of graphIds) expect(await graph.copies(id)).toBe(1);
      },
      { timeoutMs: 120_000 },
    );
  }, 300_000);

  afterAll(async () => {
    await supervisor?.context.close();
    await browser?.close();
    await api?.close();
    await stopPipeline(pipeline);
    await probe?.stop();
    await graph.close();
    redis?.disconnect();
  });

  /** Edges and nodes of Cytoscape's element JSON (`{ group, data, classes }`). */
  const graphModel = (jsons: unknown[] | undefined) => {
    const elements = (jsons ?? []) as { group: string; data: Record<string, unknown> }[];
    const text = (value: unknown) =>
      typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    return {
      edges: elements
        .filter((e) => e.group === 'edges')
        .map(({ data }) => ({
          from: text(data['source']),
          to: text(data['target']),
          order: Number(data['order']),
          amount: text(data['amount']),
          currency: text(data['currency']),
          label: text(data['label']),
        })),
      nodes: elements
        .filter((e) => e.group === 'nodes')
        .map(({ data }) => ({
          id: text(data['id']),
          roles: text(data['roles']),
          label: text(data['label']),
        })),
    };
  };
  /**
   * Waits until the inbox's event stream is connected. Tests leave an inbox only once it is: the API notices a
   * client leaving only after the stream is set up, and a stream opened and dropped at once would poll on.
   */
  const live = (page: Page) => page.locator('.live[data-state="live"]').waitFor();
  const openInbox = async (page: Page, hash = inboxHash) => {
    await page.goto(`${api.baseUrl}/console/${hash}`);
    await live(page);
  };
  const rows = (page: Page) => page.locator('table.inbox tbody tr[data-alert-id]');
  const count = async (page: Page, status: string) =>
    Number(await page.locator(`.counts [data-count="${status}"]`).textContent());

  it('signs in with a token and shows the alerts arriving live, without a reload', async () => {
    supervisor = await signInToConsole(
      browser,
      api.baseUrl,
      api.tokenFor('supervisor', { sub: 'sup-01' }),
      inboxHash,
    );
    const { page } = supervisor;
    await page.locator('.live[data-state="live"]').waitFor();
    expect(await rows(page).count()).toBe(0);
    // The victim reports now: the alert is raised while the inbox is open.
    await probe.produce(TOPICS.victimReportFiled, [{ key: CASE_A, value: JSON.stringify(report) }]);
    await page
      .locator('table.inbox tbody tr', { hasText: 'proceeds.cross-border' })
      .first()
      // Seconds on a quiet machine; minutes when the machine is shared with other test runs.
      .waitFor({ timeout: 170_000 });
    expect(await page.getByRole('heading', { name: 'Alert inbox' }).isVisible()).toBe(true);
    expect(await count(page, 'new')).toBeGreaterThanOrEqual(1);
    await updateScreenshot(page, 'inbox');
  }, 200_000);

  it('opens the cross-border alert: the graph runs victim → mules → VASP → wallet → foreign VASP with the alert’s amounts', async () => {
    const { page } = supervisor;
    await page.locator('table.inbox tbody tr', { hasText: 'proceeds.cross-border' }).first().click();
    await page.keyboard.press('Enter');
    await page.locator('#evidence-graph canvas').first().waitFor();
    // Cytoscape's own model of what is drawn (elements as JSON), read in the page.
    const model = graphModel(
      await page.evaluate(() =>
        (globalThis as unknown as { consoleGraph?: { elements(): { jsons(): unknown[] } } }).consoleGraph
          ?.elements()
          .jsons(),
      ),
    );
    const path = model.edges
      .sort((a, b) => a.order - b.order)
      .map((e) => [e.from, e.to, `${e.amount} ${e.currency}`]);
    // The alert states every hop in the trace's reference currency: USD 3,000 (THB 120,000 at 0.025, USDT 3,000 at 1).
    expect(path).toEqual([
      [VICTIM, MULE_1, '3000.00 USD'],
      [MULE_1, MULE_2, '3000.00 USD'],
      [MULE_2, TH_CUSTOMER, '3000.00 USD'],
      [TH_CUSTOMER, HOP_WALLET, '3000.00 USD'],
      [HOP_WALLET, DEPOSIT_WALLET, '3000.00 USD'],
      [DEPOSIT_WALLET, K_KEY, '3000.00 USD'],
    ]);
    // Every edge is labelled with its amount and its time; every node with institution and country.
    for (const edge of model.edges ?? [])
      expect(edge.label).toMatch(/^\d+\. [\d,]+\.\d+ [A-Z]+\n.+\d\d:\d\d:\d\d$/);
    const node = (id: string) => model.nodes.find((n) => n.id === id);
    expect(node(VICTIM)?.roles).toContain('victim');
    expect(node(VICTIM)?.label).toContain(`${BANK_A} · TH`);
    expect(node(K_KEY)?.label).toContain(`${KH_VASP} · KH`);
    // Traced amounts per holder and rule, as text a user reads.
    const traced = page.locator('table', { has: page.locator('caption', { hasText: 'Traced amounts' }) });
    const kRow = traced.locator(`tr[data-holder="${K_KEY}"][data-rule="fifo"]`);
    expect(await kRow.textContent()).toContain('3,000.00 USD');
    await updateScreenshot(page, 'alert-graph');
  });

  it('downloads the alert’s goAML XML', async () => {
    const { page } = supervisor;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download goAML XML' }).click(),
    ]);
    const file = await download.path();
    const xml = new XMLParser().parse(readFileSync(file, 'utf8')) as { report?: Record<string, unknown> };
    expect(xml.report?.['report_code']).toBe('STR');
    expect(readFileSync(file, 'utf8')).toContain(KH_VASP);
  });

  it('shows the case: where the money is now per rule, the hop ledger and the clock since the victim paid', async () => {
    const { page } = supervisor;
    await page.goto(`${api.baseUrl}/console/#/cases/${encodeURIComponent(CASE_A)}`);
    const holders = page.locator('table', {
      has: page.locator('caption', { hasText: 'Where the money is now' }),
    });
    const kFifo = holders.locator(`tr[data-holder="${K_KEY}"][data-rule="fifo"]`);
    await kFifo.waitFor();
    expect(await kFifo.textContent()).toContain('3,000.00 USD');
    const ledger = page.locator('table', { has: page.locator('caption', { hasText: 'Hop ledger' }) });
    expect(await ledger.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    // The clock counts from the victim's payment (about three hours ago in this run).
    expect(await page.locator('.clock').textContent()).toMatch(/^0[23]:\d\d:\d\d$/);
    await updateScreenshot(page, 'case');
  });

  it('explores the graph from the victim: expands one hop, exports GraphML and PNG', async () => {
    const { page } = supervisor;
    const drawn = async () =>
      graphModel(
        await page.evaluate(() =>
          (globalThis as unknown as { consoleGraph?: { elements(): { jsons(): unknown[] } } }).consoleGraph
            ?.elements()
            .jsons(),
        ),
      );
    await page.goto(`${api.baseUrl}/console/#/graph?account=${encodeURIComponent(VICTIM)}&hops=2`);
    await expectEventually(async () => {
      const ids = (await drawn()).nodes.map((n) => n.id);
      expect(ids).toEqual(expect.arrayContaining([VICTIM, MULE_1, MULE_2]));
      expect(ids).not.toContain(TH_CUSTOMER);
    });
    await page.getByLabel('Accounts in view').selectOption(MULE_2);
    await page.getByRole('button', { name: 'Expand forward one hop' }).click();
    await expectEventually(async () => {
      const edges = (await drawn()).edges.map((e) => [e.from, e.to]);
      expect(edges).toContainEqual([MULE_2, TH_CUSTOMER]);
    });
    const [graphml] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export GraphML' }).click(),
    ]);
    const graphmlText = readFileSync(await graphml.path(), 'utf8');
    expect(graphmlText).toContain('<graphml');
    expect(graphmlText).toContain(MULE_1);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(
      readFileSync(await png.path())
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
  });

  it('closes an alert as a false positive and the inbox counts change', async () => {
    const { page } = supervisor;
    await openInbox(page);
    await rows(page).first().waitFor();
    const newBefore = await count(page, 'new');
    const closedBefore = await count(page, 'closed');
    const target = rows(page).filter({ hasNotText: 'proceeds.cross-border' }).first();
    const alertId = await target.getAttribute('data-alert-id');
    await target.click();
    // A new alert is acknowledged first: the lifecycle closes only alerts someone has looked at.
    const actions = page.getByRole('region', { name: /^Selected alert/ });
    await actions.getByRole('button', { name: 'Acknowledge' }).click();
    await expectEventually(async () => expect(await count(page, 'new')).toBe(newBefore - 1));
    await actions.getByLabel('Disposition').selectOption('false-positive');
    await actions.getByLabel('Reason').fill('salary account, known employer');
    await actions.getByRole('button', { name: 'Close' }).click();
    await expectEventually(async () => {
      expect(await count(page, 'closed')).toBe(closedBefore + 1);
      expect(await count(page, 'acknowledged')).toBe(0);
    });
    expect(await page.locator(`tr[data-alert-id="${alertId}"]`).getAttribute('data-state')).toBe('closed');
  });

  it('works from the keyboard alone: Tab to the list, j / k to move, Enter to open', async () => {
    const { page } = supervisor;
    await openInbox(page);
    await rows(page).nth(1).waitFor();
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = (await page.locator('tr[data-alert-id]:focus').count()) === 1;
    }
    expect(reached).toBe(true);
    // j / k move the selection from wherever it is (the previous test left one selected).
    const ids = await Promise.all((await rows(page).all()).map((r) => r.getAttribute('data-alert-id')));
    const start = ids.indexOf(await page.locator('tr[data-alert-id]:focus').getAttribute('data-alert-id'));
    const step = start + 1 < ids.length ? 1 : -1;
    await page.keyboard.press(step === 1 ? 'j' : 'k');
    expect(
      await rows(page)
        .nth(start + step)
        .getAttribute('aria-selected'),
    ).toBe('true');
    expect(await rows(page).nth(start).getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press(step === 1 ? 'k' : 'j');
    expect(await rows(page).nth(start).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press(step === 1 ? 'j' : 'k');
    const second = ids[start + step];
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/console/#/alerts/${encodeURIComponent(second ?? '')}`);
  });

  it('gives every control an accessible name on each screen', async () => {
    const { page } = supervisor;
    for (const hash of [
      inboxHash,
      `#/cases/${encodeURIComponent(CASE_A)}`,
      `#/graph?account=${encodeURIComponent(VICTIM)}`,
    ]) {
      await page.goto(`${api.baseUrl}/console/${hash}`);
      if (hash === inboxHash) await live(page);
      await page.locator('main h1, main form').first().waitFor();
      await page.locator('main table, main .graph').first().waitFor();
      expect({ hash, unnamed: await unnamedControls(page) }).toEqual({ hash, unnamed: {} });
    }
  });

  it('switches to Thai', async () => {
    const { page } = supervisor;
    await openInbox(page);
    await page.getByLabel('Language').selectOption('th');
    await page.getByRole('heading', { name: 'กล่องการแจ้งเตือน' }).waitFor();
    await live(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('th');
    expect(await page.getByRole('button', { name: 'ใช้ตัวกรอง' }).isVisible()).toBe(true);
    await page.getByLabel('ภาษา').selectOption('en');
    await page.getByRole('heading', { name: 'Alert inbox' }).waitFor();
    await live(page);
  });

  it('shows a bank only the alerts of its own institution', async () => {
    const bank = await signInToConsole(
      browser,
      api.baseUrl,
      api.tokenFor('bank', { sub: 'bank-c-01', institutionId: BANK_C }),
      '#/inbox',
    );
    try {
      await rows(bank.page).first().waitFor({ timeout: 30_000 });
      await live(bank.page);
      const institutions = await bank.page.locator('table.inbox tbody tr td:nth-child(4)').allTextContents();
      expect(institutions.length).toBeGreaterThan(0);
      for (const text of institutions) expect(text.split(', ')).toContain(BANK_C);
      // No lifecycle buttons for a bank: the inbox is read-only to it.
      expect(await bank.page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    } finally {
      await bank.context.close();
    }
  });
});
