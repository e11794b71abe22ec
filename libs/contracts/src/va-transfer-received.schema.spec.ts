import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWith } from './parse';
import { VaTransferReceivedSchema } from './va-transfer-received.schema';

const fixturesDir = join(__dirname, '..', 'fixtures', 'va-transfer-received');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
const load = (file: string): unknown => JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));

describe('VaTransferReceivedSchema', () => {
  it.each(fixtures.filter((f) => f.startsWith('valid-')))('accepts %s', (file) => {
    expect(parseWith(VaTransferReceivedSchema, load(file))).toMatchObject({ ok: true });
  });

  it.each([
    ['invalid-attributed-without-vasp.json', 'needs vaspId and country'],
    ['invalid-unknown-kind.json', 'kind'],
    ['invalid-float-amount.json', 'amount'],
  ])('refuses %s, naming the problem', (file, expected) => {
    expect(parseWith(VaTransferReceivedSchema, load(file))).toEqual({
      ok: false,
      reason: expect.stringContaining(expected) as unknown,
    });
  });

  it('has a test case for every invalid fixture', () => {
    expect(fixtures.filter((f) => f.startsWith('invalid-'))).toHaveLength(3);
  });
});
