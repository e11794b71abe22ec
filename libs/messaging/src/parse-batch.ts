import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { decodeJson, parseWith, type ParseResult } from '@scamflow/contracts';
import type { ConsumedBatch, ConsumedMessage } from './consumed-message';
import type { Rejection } from './dead-letter.publisher';

export interface ParsedMessage<T> {
  readonly message: ConsumedMessage;
  readonly value: T;
}

export interface ParsedBatch<T> {
  readonly parsed: ParsedMessage<T>[];
  readonly rejected: Rejection[];
}

/**
 * `decodeJson`, but bytes that are not UTF-8 are refused as such: read leniently, they would become U+FFFD and
 * be refused for a misleading reason (malformed JSON, or a field in the wrong format), or kept altered.
 */
const decodeUtf8Json = (bytes: Buffer | null, maxBytes: number): ParseResult<unknown> =>
  bytes !== null && bytes.length > 0 && bytes.length <= maxBytes && !isUtf8(bytes)
    ? { ok: false, reason: 'message value is not valid UTF-8' }
    : decodeJson(bytes, maxBytes);

/** Decodes every JSON message of a batch with a zod schema; each failure becomes a rejection with its reason. */
export const parseJsonBatch = <S extends z.ZodType>(
  batch: ConsumedBatch,
  schema: S,
  maxBytes: number,
): ParsedBatch<z.output<S>> => {
  const parsed: ParsedMessage<z.output<S>>[] = [];
  const rejected: Rejection[] = [];
  for (const message of batch.messages) {
    const decoded = decodeUtf8Json(message.value, maxBytes);
    const result = decoded.ok ? parseWith(schema, decoded.value) : decoded;
    if (result.ok) parsed.push({ message, value: result.value });
    else rejected.push({ message, reason: result.reason });
  }
  return { parsed, rejected };
};
