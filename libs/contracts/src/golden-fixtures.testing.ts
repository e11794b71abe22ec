import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseWith } from './parse';

/**
 * Test helper: a schema's golden fixtures (`fixtures/<folder>/valid-*.json` and `invalid-*.json`), and the
 * reason the schema gives for refusing an input ('' when it accepts it).
 */
export const goldenFixtures = (folder: string, schema: z.ZodType) => {
  const dir = join(__dirname, '..', 'fixtures', folder);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const load = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const reasonFor = (input: unknown): string => {
    const result = parseWith(schema, input);
    return result.ok ? '' : result.reason;
  };
  return {
    load,
    reasonFor,
    valid: files.filter((f) => f.startsWith('valid-')),
    invalid: files.filter((f) => f.startsWith('invalid-')),
  };
};

/** Every valid fixture parses, every invalid one is refused with a reason. */
export const itParsesGoldenFixtures = (folder: string, schema: z.ZodType): void => {
  const { load, valid, invalid } = goldenFixtures(folder, schema);

  it('has golden fixtures of both kinds', () => {
    expect(valid.length).toBeGreaterThanOrEqual(2);
    expect(invalid.length).toBeGreaterThanOrEqual(3);
  });

  it.each(valid)('accepts %s', (file) => {
    expect(parseWith(schema, load(file))).toMatchObject({ ok: true });
  });

  it.each(invalid)('refuses %s with a reason', (file) => {
    const result = parseWith(schema, load(file));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/\S/);
  });
};
