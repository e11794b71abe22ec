import { z } from 'zod';
import { ConfigError, kafkaEnvShape, parseEnv, redisEnvShape } from './env';

describe(parseEnv.name, () => {
  const schema = z.object({ ...kafkaEnvShape, ...redisEnvShape });

  it('applies local defaults so a fresh checkout talks to the local stack', () => {
    expect(parseEnv(schema, {})).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:19092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('splits broker lists given by operators', () => {
    expect(parseEnv(schema, { KAFKA_BROKERS: 'k1:9092, k2:9092' }).KAFKA_BROKERS).toEqual([
      'k1:9092',
      'k2:9092',
    ]);
  });

  it('names the offending variable without echoing its value', () => {
    const parse = () => parseEnv(schema, { REDIS_URL: 'secret-not-a-url' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/REDIS_URL/);
    expect(parse).not.toThrow(/secret-not-a-url/);
  });
});
