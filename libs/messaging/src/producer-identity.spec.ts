import { randomBytes } from 'node:crypto';
import type { ConsumedMessage } from './consumed-message';
import { ProducerKeysSchema, producerIdentityProblem, signedHeaders } from './producer-identity';

const keyA = randomBytes(32);
const keys = new Map([['BANKA', keyA]]);
const message = (value: string, headers: Record<string, string>): ConsumedMessage => ({
  topic: 'bank.transfer.received.v1',
  partition: 0,
  offset: '0',
  key: null,
  value: Buffer.from(value),
  headers,
  timestamp: '0',
});

describe('producer identity', () => {
  const value = '{"reportedBy":"BANKA"}';

  it('accepts a message signed by the institution it reports as', () => {
    expect(producerIdentityProblem(message(value, signedHeaders('BANKA', keyA, value)), 'BANKA', keys)).toBe(
      undefined,
    );
  });

  it('refuses a producer reporting as another institution, even with its own valid signature', () => {
    expect(producerIdentityProblem(message(value, signedHeaders('BANKA', keyA, value)), 'BANKB', keys)).toBe(
      'producer identity: BANKA may not report as BANKB',
    );
  });

  it('refuses altered bytes, a wrong key, a missing signature and an unknown producer', () => {
    const signed = signedHeaders('BANKA', keyA, value);
    expect(producerIdentityProblem(message(`${value} `, signed), 'BANKA', keys)).toMatch(/does not verify/);
    expect(
      producerIdentityProblem(message(value, signedHeaders('BANKA', randomBytes(32), value)), 'BANKA', keys),
    ).toMatch(/does not verify/);
    expect(producerIdentityProblem(message(value, {}), 'BANKA', keys)).toMatch(/not signed/);
    expect(
      producerIdentityProblem(message(value, { ...signed, 'scamflow-signature': 'garbage' }), 'BANKA', keys),
    ).toMatch(/does not verify/);
    expect(
      producerIdentityProblem(message(value, signedHeaders('BANKC', keyA, value)), 'BANKC', keys),
    ).toMatch(/unknown producer "BANKC"/);
  });

  it('reads the key file format and refuses short keys and non-JSON', () => {
    const parsed = ProducerKeysSchema.parse(JSON.stringify({ BANKA: keyA.toString('base64') }));
    expect(parsed.get('BANKA')?.equals(keyA)).toBe(true);
    expect(ProducerKeysSchema.safeParse(JSON.stringify({ BANKA: 'c2hvcnQ=' })).success).toBe(false);
    expect(ProducerKeysSchema.safeParse('BANKA=secret').success).toBe(false);
  });
});
