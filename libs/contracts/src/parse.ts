import { z } from 'zod';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses untrusted input with a schema and turns zod issues into one human-readable reason. */
export const parseWith = <S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> => {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: z.prettifyError(result.error) };
};

/** Decodes a Kafka message value as UTF-8 JSON, refusing oversized or malformed input with a reason. */
export const decodeJson = (bytes: Buffer | null, maxBytes: number): ParseResult<unknown> => {
  if (bytes === null || bytes.length === 0) return { ok: false, reason: 'empty message value' };
  if (bytes.length > maxBytes) {
    return { ok: false, reason: `message value is ${bytes.length} bytes, above the ${maxBytes}-byte limit` };
  }
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `malformed JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
};
