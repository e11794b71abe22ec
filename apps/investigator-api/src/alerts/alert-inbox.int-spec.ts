import type { AlertRaised } from '@scamflow/contracts';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { alertFixture, runIds } from '../testing/alert-fixtures.testing';
import { publishAlerts } from '../testing/alert-publisher.testing';
import { collectEvents, request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { StoreProbe } from '../testing/store-probe.testing';

interface Detail {
  alertId: string;
  version: number;
  state: string;
  summary: string;
  lifecycle: {
    state: string;
    assignee: string | null;
    disposition: string | null;
    history: { action: string }[];
  };
  earlierVersions: { version: number }[];
}
interface Page {
  items: { alertId: string; version: number; score: number }[];
  nextCursor: string | null;
  counts: Record<string, number>;
}

describe('alert inbox (investigator API on real Kafka and Neo4j)', () => {
  let api: ApiHarness;
  const store = new StoreProbe();
  const ids = runIds();
  const base = (over: Partial<Parameters<typeof alertFixture>[0]> & { alertId: string }): AlertRaised =>
    alertFixture({ ownBank: ids.ownBank, otherBank: ids.otherBank, caseId: ids.caseId, ...over });
  const get = <T>(
    path: string,
    role: Parameters<ApiHarness['tokenFor']>[0] = 'analyst',
    institutionId?: string,
  ) =>
    request<T>(api.baseUrl, 'GET', path, {
      token: api.tokenFor(role, institutionId ? { institutionId } : {}),
    });
  const transition = (alertId: string, body: unknown, role: 'analyst' | 'supervisor' = 'analyst') =>
    request<Detail & { status: number; currentState: string }>(
      api.baseUrl,
      'POST',
      `/alerts/${alertId}/transitions`,
      {
        token: api.tokenFor(role),
        body,
      },
    );
  /** Waits until the inbox shows `alertId` at `version`. */
  const untilStored = (alertId: string, version: number) =>
    expectEventually(
      async () => {
        const response = await get<Detail>(`/alerts/${alertId}`);
        expect(response.status).toBe(200);
        expect(response.body.version).toBe(version);
        return response.body;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );

  beforeAll(async () => {
    api = await startApiHarness();
  });

  afterAll(async () => {
    await api.close();
    await store.close();
  });

  it('keeps every version once: replays, duplicates and a late older version change nothing', async () => {
    const alertId = `${ids.run}-versions`;
    const v = (version: number) => base({ alertId, version, summary: `version ${version} of the alert` });
    await publishAlerts([v(1), v(3), v(1), 'not json at all', v(3), v(2)]);

    await expectEventually(
      async () => {
        const detail = (await get<Detail>(`/alerts/${alertId}`)).body;
        expect(detail.earlierVersions.map((e) => e.version)).toEqual([2, 1]);
        return detail;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    const detail = (await get<Detail>(`/alerts/${alertId}`)).body;
    expect(detail.version).toBe(3);
    expect(detail.summary).toBe('version 3 of the alert');
    expect(await store.versionsOf(alertId)).toEqual([1, 2, 3]);
  });

  it('lists with filters, sort, cursor pages and counts per state', async () => {
    const listed = [0.61, 0.72, 0.93].map((score, i) =>
      base({ alertId: `${ids.run}-list-${i}`, caseId: `${ids.caseId}-list`, score }),
    );
    await publishAlerts(listed);
    await untilStored(`${ids.run}-list-2`, 1);
    await untilStored(`${ids.run}-list-0`, 1);

    const first = await get<Page>(`/alerts?caseId=${ids.caseId}-list&sort=-score&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((a) => a.score)).toEqual([0.93, 0.72]);
    expect(first.body.counts).toEqual({ new: 3, acknowledged: 0, assigned: 0, escalated: 0, closed: 0 });
    const second = await get<Page>(
      `/alerts?caseId=${ids.caseId}-list&sort=-score&limit=2&cursor=${first.body.nextCursor ?? ''}`,
    );
    expect(second.body.items.map((a) => a.score)).toEqual([0.61]);
    expect(second.body.nextCursor).toBeNull();

    const none = await get<Page>(`/alerts?caseId=${ids.caseId}-list&severity=low`);
    expect(none.body.items).toEqual([]);
    const byBank = await get<Page>(`/alerts?caseId=${ids.caseId}-list&institution=${ids.ownBank}&country=TH`);
    expect(byBank.body.items).toHaveLength(3);
  });

  it('lists an alert recorded before list fields were kept exactly as one recorded now', async () => {
    const [kept, older] = ['kept', 'older'].map((name) =>
      base({
        alertId: `${ids.run}-fields-${name}`,
        caseId: `${ids.caseId}-fields`,
        score: 0.5,
        raisedAt: '2026-11-23T03:00:00Z',
      }),
    );
    await publishAlerts([kept!, older!]);
    await untilStored(kept!.alertId, 1);
    await untilStored(older!.alertId, 1);
    expect(await store.hasListFields(kept!.alertId)).toBe(true);
    await store.forgetListFields(older!.alertId);

    const page = await get<{ items: Record<string, unknown>[] }>(`/alerts?caseId=${ids.caseId}-fields`);
    const byId = new Map(page.body.items.map((item) => [item['alertId'], item]));
    const { alertId: _a, receivedAt: _r, ...keptRow } = byId.get(kept!.alertId) ?? {};
    const { alertId: _b, receivedAt: _s, ...olderRow } = byId.get(older!.alertId) ?? {};
    expect(keptRow).toMatchObject({
      typology: kept!.typology,
      summary: kept!.summary,
      caseIds: [kept!.trigger.caseId],
    });
    expect(olderRow).toEqual(keptRow);
  });

  it('takes an alert through its lifecycle, recording who and when, and refuses illegal steps with 409', async () => {
    const alertId = `${ids.run}-life`;
    await publishAlerts([base({ alertId })]);
    await untilStored(alertId, 1);

    const skipped = await transition(alertId, { action: 'escalate' });
    expect(skipped.status).toBe(409);
    expect(skipped.contentType).toContain('application/problem+json');
    expect(skipped.body.currentState).toBe('new');

    expect((await transition(alertId, { action: 'acknowledge' })).status).toBe(200);
    expect((await transition(alertId, { action: 'assign', assignee: 'analyst-02' })).status).toBe(200);
    expect((await transition(alertId, { action: 'escalate', strReference: 'STR-1' })).status).toBe(200);
    expect((await transition(alertId, { action: 'close', disposition: 'confirmed-proceeds' })).status).toBe(
      403,
    );
    const closed = await transition(
      alertId,
      { action: 'close', disposition: 'confirmed-proceeds' },
      'supervisor',
    );
    expect(closed.status).toBe(200);
    expect(closed.body.lifecycle).toMatchObject({
      state: 'closed',
      assignee: 'analyst-02',
      disposition: 'confirmed-proceeds',
    });
    expect(closed.body.lifecycle.history.map((h) => h.action)).toEqual([
      'acknowledge',
      'assign',
      'escalate',
      'close',
    ]);
    expect(closed.body.lifecycle.history[0]).toMatchObject({ by: 'analyst-test', role: 'analyst' });

    const reopened = await transition(alertId, { action: 'acknowledge' });
    expect(reopened.status).toBe(409);
    const precision = await get<{ typologies: { typology: string; confirmed: number }[] }>(
      '/alerts/dispositions/precision',
      'supervisor',
    );
    expect(
      precision.body.typologies.find((t) => t.typology === 'proceeds.cross-border')?.confirmed,
    ).toBeGreaterThan(0);
  });

  it('applies exactly one of three concurrent transitions; the other gets 409', async () => {
    const alertId = `${ids.run}-race`;
    await publishAlerts([base({ alertId })]);
    await untilStored(alertId, 1);

    const answers = await Promise.all([
      transition(alertId, { action: 'acknowledge' }),
      transition(alertId, { action: 'acknowledge' }),
      transition(alertId, { action: 'acknowledge' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect(await store.alertsWithPrefix(alertId)).toEqual([
      { alertId, state: 'acknowledged', transitions: 1 },
    ]);
  });

  it("shows a bank only its own institution's alerts, other banks' customers masked", async () => {
    const alertId = `${ids.run}-bank`;
    await publishAlerts([base({ alertId })]);
    await untilStored(alertId, 1);

    const own = await get<unknown>(`/alerts/${alertId}`, 'bank', ids.ownBank);
    expect(own.status).toBe(200);
    const text = JSON.stringify(own.body);
    expect(text).toContain(`${ids.ownBank}:MULE0001`);
    expect(text).not.toContain('VICT7777');
    expect(text).not.toContain(`holder-${ids.otherBank}`);
    expect(text).toContain(`${ids.otherBank}:****7777`);

    const stranger = `STR${ids.run}`;
    expect((await get(`/alerts/${alertId}`, 'bank', stranger)).status).toBe(404);
    const list = await get<Page>(`/alerts?caseId=${ids.caseId}`, 'bank', stranger);
    expect(list.body.items).toEqual([]);
    expect((await get(`/alerts?institution=${ids.ownBank}`, 'bank', stranger)).status).toBe(403);
  });

  it('streams new versions as server-sent events and resumes after Last-Event-ID from the store', async () => {
    const caseId = `${ids.caseId}-sse`;
    const url = `${api.baseUrl}/alerts/stream?caseId=${caseId}`;
    const token = api.tokenFor('analyst');
    await publishAlerts([base({ alertId: `${ids.run}-sse-a`, caseId })]);
    const first = await collectEvents(url, token, (events) => events.length >= 1, {
      lastEventId: '0',
      timeoutMs: 60_000,
    });
    expect(first.contentType).toContain('text/event-stream');
    const seen = first.events[0];
    expect(seen).toMatchObject({ event: 'alert' });
    expect(JSON.parse(seen?.data ?? '{}')).toMatchObject({ alertId: `${ids.run}-sse-a`, version: 1 });

    // While the client is away: a new version of A and a new alert B.
    await publishAlerts([
      base({ alertId: `${ids.run}-sse-a`, caseId, version: 2 }),
      base({ alertId: `${ids.run}-sse-b`, caseId }),
    ]);
    await untilStored(`${ids.run}-sse-b`, 1);
    const resumed = await collectEvents(url, token, (events) => events.length >= 2, {
      lastEventId: seen?.id ?? '',
      timeoutMs: 30_000,
    });
    expect(resumed.events.map((e) => JSON.parse(e.data) as { alertId: string; version: number })).toEqual([
      expect.objectContaining({ alertId: `${ids.run}-sse-a`, version: 2 }),
      expect.objectContaining({ alertId: `${ids.run}-sse-b`, version: 1 }),
    ]);
    expect(resumed.events.every((e) => Number(e.id) > Number(seen?.id))).toBe(true);

    // A live client without Last-Event-ID gets only what arrives after it connected.
    const live = await collectEvents(url, token, (events) => events.length >= 1, {
      timeoutMs: 60_000,
      onOpen: () => publishAlerts([base({ alertId: `${ids.run}-sse-c`, caseId })]),
    });
    expect(live.events.map((e) => (JSON.parse(e.data) as { alertId: string }).alertId)).toEqual([
      `${ids.run}-sse-c`,
    ]);
  });
});
