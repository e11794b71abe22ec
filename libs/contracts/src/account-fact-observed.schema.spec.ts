import { AccountFactObservedSchema } from './account-fact-observed.schema';
import { goldenFixtures, itParsesGoldenFixtures } from './golden-fixtures.testing';
import { parseWith } from './parse';

const { load, reasonFor } = goldenFixtures('account-fact-observed', AccountFactObservedSchema);

describe('AccountFactObservedSchema', () => {
  itParsesGoldenFixtures('account-fact-observed', AccountFactObservedSchema);

  it('reads each kind with its own fields', () => {
    expect(parseWith(AccountFactObservedSchema, load('valid-identifier-seen-device.json'))).toMatchObject({
      ok: true,
      value: { kind: 'identifier-seen', identifierType: 'device', identifierValue: 'dev-5e0c9a7b3f21d4e8' },
    });
    const closedWithOpenedFields = {
      ...(load('valid-account-closed.json') as object),
      accountType: 'personal',
    };
    expect(reasonFor(closedWithOpenedFields)).toContain('accountType');
  });

  it('refuses raw phone numbers and IP addresses, naming the field', () => {
    expect(reasonFor(load('invalid-raw-phone.json'))).toContain('identifierValue');
    expect(reasonFor(load('invalid-raw-ip.json'))).toMatch(/pseudonymised[\s\S]*at identifierValue/);
  });

  it('refuses a kind it does not know', () => {
    expect(reasonFor(load('invalid-unknown-kind.json'))).toContain('kind');
  });
});
