import { TOPICS } from '@scamflow/contracts';
import type { AlertInboxRepository } from '@scamflow/graph';
import type { ConsumedBatch, ConsumedMessage, DeadLetterPublisher, Rejection } from '@scamflow/messaging';
import type { InvestigatorApiConfig } from '../investigator-api.config';
import { alertFixture } from '../testing/alert-fixtures.testing';
import { RecordAlertsService } from './record-alerts.service';

const message = (offset: number, value: string): ConsumedMessage => ({
  topic: TOPICS.alertRaised,
  partition: 0,
  offset: String(offset),
  key: null,
  value: Buffer.from(value),
  headers: {},
  timestamp: '0',
});

const setup = () => {
  const mocks = {
    inbox: { recordVersions: jest.fn().mockImplementation((alerts: unknown[]) => Promise.resolve(alerts)) },
    deadLetters: { publish: jest.fn<Promise<void>, [Rejection[]]>().mockResolvedValue(undefined) },
  };
  const sut = new RecordAlertsService(
    mocks.inbox as unknown as AlertInboxRepository,
    mocks.deadLetters as unknown as DeadLetterPublisher,
    { API_ALERT_MAX_MESSAGE_BYTES: 1024 * 1024 } as InvestigatorApiConfig,
  );
  return { sut, mocks };
};

describe(RecordAlertsService.name, () => {
  it('records valid alerts and dead-letters the rest with their reason, in one pass', async () => {
    const { sut, mocks } = setup();
    const alert = alertFixture({ alertId: 'a-1', ownBank: 'OWN', otherBank: 'OTH' });
    const batch: ConsumedBatch = {
      topic: TOPICS.alertRaised,
      partition: 0,
      messages: [message(1, JSON.stringify(alert)), message(2, '{"alertId": 42}'), message(3, 'not json')],
    };
    await expect(sut.execute(batch, '2026-11-23T05:00:00.000Z')).resolves.toBe(1);
    expect(mocks.inbox.recordVersions).toHaveBeenCalledWith([alert], '2026-11-23T05:00:00.000Z');
    const rejected = mocks.deadLetters.publish.mock.calls[0]?.[0] as {
      message: ConsumedMessage;
      reason: string;
    }[];
    expect(rejected.map((r) => r.message.offset)).toEqual(['2', '3']);
    expect(rejected[1]?.reason).toMatch(/malformed JSON/);
  });
});
