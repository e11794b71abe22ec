import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BankTransferReceivedSchema } from './bank-transfer-received.schema';
import { decodeJson, parseWith } from './parse';

const fixturesDir = join(__dirname, '..', 'fixtures', 'bank-transfer-received');
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
const load = (file: string): unknown => JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));

describe('BankTransferReceivedSchema', () => {
  it('has golden fixtures of both kinds', () => {
    expect(fixtures.filter((f) => f.startsWith('valid-')).length).toBeGreaterThanOrEqual(2);
    expect(fixtures.filter((f) => f.startsWith('invalid-')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures.filter((f) => f.startsWith('valid-')))('accepts %s', (file) => {
    expect(parseWith(BankTransferReceivedSchema, load(file))).toMatchObject({ ok: true });
  });

  it.each(fixtures.filter((f) => f.startsWith('invalid-')))('refuses %s with a reason', (file) => {
    const result = parseWith(BankTransferReceivedSchema, load(file));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/\S/);
  });

  it('names the field at fault in the reason', () => {
    const result = parseWith(BankTransferReceivedSchema, load('invalid-float-amount.json'));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('amount.value') as unknown });
  });

  it('refuses fields it does not know, so a typo is not silently ignored', () => {
    const event = { ...(load('valid-minimal.json') as object), amout: '1' };
    expect(parseWith(BankTransferReceivedSchema, event)).toEqual({
      ok: false,
      reason: expect.stringContaining('amout') as unknown,
    });
  });
});

describe(decodeJson.name, () => {
  it('refuses malformed JSON, empty values and oversized payloads before parsing', () => {
    expect(decodeJson(Buffer.from('{"a":'), 1024)).toMatchObject({ ok: false, reason: /malformed JSON/ });
    expect(decodeJson(null, 1024)).toEqual({ ok: false, reason: 'empty message value' });
    expect(decodeJson(Buffer.alloc(2048, 0x20), 1024)).toEqual({
      ok: false,
      reason: 'message value is 2048 bytes, above the 1024-byte limit',
    });
  });
});
