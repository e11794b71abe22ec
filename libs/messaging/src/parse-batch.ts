import type { z } from 'zod';
import { decodeJson, parseWith } from '@scamflow/contracts';
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

/** Decodes every JSON message of a batch with a zod schema; each failure becomes a rejection with its reason. */
export const parseJsonBatch = <S extends z.ZodType>(
  batch: ConsumedBatch,
  schema: S,
  maxBytes: number,
): ParsedBatch<z.output<S>> => {
  const parsed: ParsedMessage<z.output<S>>[] = [];
  const rejected: Rejection[] = [];
  for (const message of batch.messages) {
    const decoded = decodeJson(message.value, maxBytes);
    const result = decoded.ok ? parseWith(schema, decoded.value) : decoded;
    if (result.ok) parsed.push({ message, value: result.value });
    else rejected.push({ message, reason: result.reason });
  }
  return { parsed, rejected };
};
