import { TOPICS, type AlertRaised } from '@scamflow/contracts';
import { RawProducer } from '../../../../test/support/raw-producer';
import { testServers } from '../../../../test/support/test-env';

/** Publishes alerts to detection.alert.raised.v1 as the detectors do (key = subject account key). */
export const publishAlerts = async (alerts: readonly (AlertRaised | string)[]): Promise<void> => {
  const producer = new RawProducer(testServers().kafkaBrokers);
  await producer.connect();
  try {
    for (const alert of alerts) {
      const key = typeof alert === 'string' ? 'poison' : alert.subject.accountKey;
      await producer.sendOnOneKey(TOPICS.alertRaised, [
        { key, value: typeof alert === 'string' ? alert : JSON.stringify(alert) },
      ]);
    }
  } finally {
    await producer.disconnect();
  }
};
