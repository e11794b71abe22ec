import type { AlertInboxRepository, StoredAlertDetail } from '@scamflow/graph';
import { ProblemException } from '../http/problem';
import { alertFixture } from '../testing/alert-fixtures.testing';
import type { GetAlertService } from './get-alert.service';
import { TransitionAlertService } from './transition-alert.service';

const detailIn = (
  state: StoredAlertDetail['current']['state'],
  transitionCount: number,
): StoredAlertDetail => {
  const alert = alertFixture({ alertId: 'a-1', ownBank: 'OWN', otherBank: 'OTH' });
  return {
    current: {
      alertId: 'a-1',
      latestVersion: 1,
      alert,
      state,
      receivedAt: '2026-11-23T03:00:00.000Z',
      updatedAt: '2026-11-23T03:00:00.000Z',
      streamSeq: 1,
      transitionCount,
      stateChangedAt: null,
      stateChangedBy: null,
      assignee: null,
      disposition: null,
      dispositionReason: null,
      duplicateOf: null,
      strReference: null,
    },
    versions: [],
    transitions: [],
  };
};

const setup = (state: StoredAlertDetail['current']['state'], transitionCount = 0, applied = true) => {
  const mocks = {
    inbox: { transition: jest.fn().mockResolvedValue(applied) },
    getAlert: { execute: jest.fn().mockResolvedValue(detailIn(state, transitionCount)) },
  };
  const sut = new TransitionAlertService(
    mocks.inbox as unknown as AlertInboxRepository,
    mocks.getAlert as unknown as GetAlertService,
  );
  return { sut, mocks };
};

const analyst = { sub: 'analyst-01', role: 'analyst' as const };
const now = () => new Date('2026-11-23T04:00:00.000Z');

describe(TransitionAlertService.name, () => {
  it('writes the transition conditioned on the state and count it read, with who and when', async () => {
    const { sut, mocks } = setup('acknowledged', 1);
    await sut.execute('a-1', { action: 'assign', assignee: 'analyst-02' }, analyst, now);
    expect(mocks.inbox.transition).toHaveBeenCalledWith({
      alertId: 'a-1',
      action: 'assign',
      from: 'acknowledged',
      to: 'assigned',
      expectedCount: 1,
      by: 'analyst-01',
      role: 'analyst',
      at: '2026-11-23T04:00:00.000Z',
      stateFields: { assignee: 'analyst-02' },
      transitionFields: { assignee: 'analyst-02' },
    });
  });

  it('refuses an illegal transition with 409 and writes nothing', async () => {
    const { sut, mocks } = setup('new');
    const attempt = sut.execute('a-1', { action: 'escalate' }, analyst, now);
    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    await expect(attempt).rejects.toMatchObject({
      extras: { currentState: 'new', allowedActions: ['acknowledge'] },
    });
    await expect(sut.execute('a-1', { action: 'escalate' }, analyst, now)).rejects.toHaveProperty(
      'status',
      409,
    );
    expect(mocks.inbox.transition).not.toHaveBeenCalled();
  });

  it('answers 409 when another transition won the race', async () => {
    const { sut } = setup('new', 0, false);
    await expect(sut.execute('a-1', { action: 'acknowledge' }, analyst, now)).rejects.toHaveProperty(
      'status',
      409,
    );
  });

  it("refuses an analyst's close with 403", async () => {
    const { sut, mocks } = setup('escalated', 3);
    await expect(
      sut.execute('a-1', { action: 'close', disposition: 'confirmed-mule' }, analyst, now),
    ).rejects.toHaveProperty('status', 403);
    expect(mocks.inbox.transition).not.toHaveBeenCalled();
  });
});
