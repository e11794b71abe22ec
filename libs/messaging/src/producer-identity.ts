import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ConsumedMessage } from './consumed-message';

/**
 * Producer identity on the input feeds: every message names its producer (an institution id) in a header and
 * carries an HMAC-SHA256 of its exact bytes under that producer's own key. The gateway verifies it and refuses
 * an event whose `reportedBy` is not the producer: bank A's key cannot publish as bank B. See
 * docs/operations.md ("Producer identity").
 */
export const PRODUCER_HEADERS = {
  producer: 'scamflow-producer',
  signature: 'scamflow-signature',
} as const;

const SIGNATURE_PREFIX = 'hmac-sha256=';

/** What is signed: the producer id and the message value's bytes, so neither can be swapped. */
const macOf = (key: Buffer, producer: string, value: Buffer): Buffer =>
  createHmac('sha256', key).update(producer).update('\n').update(value).digest();

/** Headers a producer adds to one message (the feed importer, the simulator, a bank's own client). */
export const signedHeaders = (
  producer: string,
  key: Buffer,
  value: Buffer | string,
): Record<string, string> => ({
  [PRODUCER_HEADERS.producer]: producer,
  [PRODUCER_HEADERS.signature]:
    SIGNATURE_PREFIX + macOf(key, producer, Buffer.from(value)).toString('base64'),
});

/**
 * `INGEST_PRODUCER_KEYS`: a JSON object of institution id → base64 key (at least 32 bytes). Unset: identity is
 * not enforced (development); set: every feed message must verify.
 */
export const ProducerKeysSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of institution id → base64 key' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().min(1),
      z
        .string()
        .transform((b64) => Buffer.from(b64, 'base64'))
        .refine((key) => key.length >= 32, 'each key must be at least 32 bytes (base64)'),
    ),
  )
  .transform((keys) => new Map(Object.entries(keys)));

export type ProducerKeys = ReadonlyMap<string, Buffer>;

/**
 * Why a message may not be taken as reported by `claimed`, or undefined when its producer header names
 * `claimed` and its signature verifies under that producer's key.
 */
export const producerIdentityProblem = (
  message: ConsumedMessage,
  claimed: string,
  keys: ProducerKeys,
): string | undefined => {
  const producer = message.headers[PRODUCER_HEADERS.producer];
  const signature = message.headers[PRODUCER_HEADERS.signature];
  if (!producer || !signature) {
    return `producer identity: the message is not signed (headers ${PRODUCER_HEADERS.producer} and ${PRODUCER_HEADERS.signature} are required)`;
  }
  const key = keys.get(producer);
  if (!key) return `producer identity: unknown producer ${JSON.stringify(producer)}`;
  const given = signature.startsWith(SIGNATURE_PREFIX)
    ? Buffer.from(signature.slice(SIGNATURE_PREFIX.length), 'base64')
    : Buffer.alloc(0);
  const expected = macOf(key, producer, message.value ?? Buffer.alloc(0));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return `producer identity: the signature does not verify under ${producer}'s key (altered message or another key)`;
  }
  if (producer !== claimed) {
    return `producer identity: ${producer} may not report as ${claimed}`;
  }
  return undefined;
};
