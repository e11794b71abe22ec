import { z } from 'zod';
import { DEFAULT_MAX_WAIT_MS } from './kafka-batch.server';
import { batchServerOptionsOf, consumerEnvShape } from './kafka.config';

const ConsumerEnv = z.object({
  KAFKA_BROKERS: z.string().transform((s) => s.split(',')),
  ...consumerEnvShape,
});

describe('consumer settings from the environment', () => {
  it('an idle fetch waits at the broker for CONSUMER_MAX_WAIT_MS, 500 ms unless set', () => {
    const defaults = ConsumerEnv.parse({ KAFKA_BROKERS: 'k1:9092' });
    expect(DEFAULT_MAX_WAIT_MS).toBe(500);
    expect(batchServerOptionsOf(defaults, 'svc', 'group').consumer?.maxWaitTimeInMs).toBe(500);
    const set = ConsumerEnv.parse({ KAFKA_BROKERS: 'k1:9092', CONSUMER_MAX_WAIT_MS: '2000' });
    expect(batchServerOptionsOf(set, 'svc', 'group').consumer?.maxWaitTimeInMs).toBe(2000);
  });

  it('refuses a wait the broker would spin on or hold a stop for long', () => {
    for (const wait of ['0', '5', '60000', 'soon']) {
      expect(ConsumerEnv.safeParse({ KAFKA_BROKERS: 'k1:9092', CONSUMER_MAX_WAIT_MS: wait }).success).toBe(
        false,
      );
    }
  });
});
