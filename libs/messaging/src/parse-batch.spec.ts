import { z } from 'zod';
import type { ConsumedBatch } from './consumed-message';
import { parseJsonBatch } from './parse-batch';

const batchOf = (...values: (Buffer | null)[]): ConsumedBatch => ({
  topic: 't',
  partition: 0,
  messages: values.map((value, i) => ({
    topic: 't',
    partition: 0,
    offset: String(i),
    key: null,
    value,
    headers: {},
    timestamp: '0',
  })),
});

const Schema = z.strictObject({ name: z.string() });

describe(parseJsonBatch.name, () => {
  it('refuses bytes that are not UTF-8 as such, instead of reading them with replacement characters', () => {
    const latin1 = Buffer.from('{"name":"caf\u00e9"}', 'latin1');
    const { parsed, rejected } = parseJsonBatch(
      batchOf(latin1, Buffer.from([0xff, 0xfe, 0x00])),
      Schema,
      1024,
    );
    expect(parsed).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'message value is not valid UTF-8',
      'message value is not valid UTF-8',
    ]);
  });

  it('reads UTF-8 text, and names emptiness and size before encoding', () => {
    const { parsed, rejected } = parseJsonBatch(
      batchOf(Buffer.from('{"name":"café"}'), null, Buffer.from([0xff, ...Buffer.alloc(2000)])),
      Schema,
      1024,
    );
    expect(parsed.map((p) => p.value)).toEqual([{ name: 'café' }]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'empty message value',
      'message value is 2001 bytes, above the 1024-byte limit',
    ]);
  });
});
