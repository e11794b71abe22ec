import {
  listFieldsOf,
  type AlertInboxRepository,
  type AlertPageQuery,
  type StoredAlert,
  type StoredAlertSummary,
} from '@scamflow/graph';
import type { InvestigatorApiConfig } from '../investigator-api.config';
import { alertFixture } from '../testing/alert-fixtures.testing';
import { ListAlertsService } from './list-alerts.service';

const stored = (alertId: string, raisedAt: string): StoredAlert =>
  ({
    alertId,
    latestVersion: 1,
    alert: alertFixture({ alertId, ownBank: 'OWN', otherBank: 'OTH', raisedAt }),
    state: 'new',
  }) as StoredAlert;
const summaryOf = ({ alert, ...lifecycle }: StoredAlert): StoredAlertSummary => ({
  ...lifecycle,
  listed: listFieldsOf(alert),
});

const setup = (rows: StoredAlert[]) => {
  const mocks = {
    inbox: {
      list: jest.fn<Promise<StoredAlert[]>, [AlertPageQuery]>().mockResolvedValue(rows),
      listSummaries: jest
        .fn<Promise<StoredAlertSummary[]>, [AlertPageQuery]>()
        .mockResolvedValue(rows.map(summaryOf)),
      countByState: jest.fn().mockResolvedValue({ new: 3 }),
    },
  };
  const sut = new ListAlertsService(
    mocks.inbox as unknown as AlertInboxRepository,
    {
      API_DEFAULT_PAGE_SIZE: 2,
      API_MAX_PAGE_SIZE: 500,
    } as InvestigatorApiConfig,
  );
  return { sut, mocks };
};

const analyst = { sub: 'a', role: 'analyst' as const };

describe(ListAlertsService.name, () => {
  it('asks for one row more than the page and turns it into a cursor the next page continues from', async () => {
    const { sut, mocks } = setup([
      stored('a-3', '2026-11-23T03:00:00Z'),
      stored('a-2', '2026-11-23T02:00:00Z'),
      stored('a-1', '2026-11-23T01:00:00Z'),
    ]);
    const page = await sut.execute({ sort: '-raisedAt' }, analyst);
    expect(mocks.inbox.listSummaries).toHaveBeenCalledWith(
      expect.objectContaining({ limit: 3, sortKey: 'raisedAt', descending: true }),
    );
    expect(page.items.map((a) => a.alertId)).toEqual(['a-3', 'a-2']);
    expect(page.counts).toEqual({ new: 3, acknowledged: 0, assigned: 0, escalated: 0, closed: 0 });

    await sut.execute({ sort: '-raisedAt', cursor: page.nextCursor ?? '' }, analyst);
    expect(mocks.inbox.listSummaries).toHaveBeenLastCalledWith(
      expect.objectContaining({ after: { value: '2026-11-23T02:00:00.000Z', alertId: 'a-2' } }),
    );
    // Analysts read list fields only: no page of whole alerts.
    expect(mocks.inbox.list).not.toHaveBeenCalled();
  });

  it('scopes a bank to its own institution, masks other banks’ customers, and refuses a cursor of another sort', async () => {
    const { sut, mocks } = setup([stored('a-1', '2026-11-23T01:00:00Z')]);
    const page = await sut.execute({ sort: '-score' }, { sub: 'b', role: 'bank', institutionId: 'OWN' });
    expect(mocks.inbox.list).toHaveBeenCalledWith(expect.objectContaining({ institution: 'OWN' }));
    const whole = stored('a-1', '2026-11-23T01:00:00Z').alert;
    // The summary names the other bank's victim account; the bank's page shows it masked.
    expect(whole.summary).toContain('OTH:VICT7777');
    expect(page.items[0]?.listed.summary).not.toContain('OTH:VICT7777');
    expect(page.items[0]?.listed.subject.accountKey).toBe('OWN:MULE0001');
    // The audit log still records which subject accounts the page disclosed.
    expect(page.subjectKeys).toEqual([whole.subject.accountKey]);
    const cursorOfScore = Buffer.from(JSON.stringify({ s: '-score', v: 0.5, id: 'x' })).toString('base64url');
    await expect(sut.execute({ sort: '-raisedAt', cursor: cursorOfScore }, analyst)).rejects.toHaveProperty(
      'status',
      400,
    );
  });
});
