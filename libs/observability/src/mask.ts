/**
 * Masks personal identifiers wherever someone who may not see them would (logs, the investigator API's answers
 * to other roles and institutions): account numbers, phone numbers, device ids, wallet addresses. Keeps what an
 * operator needs to tell two values apart (the institution prefix of an account key, the last four characters)
 * and nothing a reader could use: `KASITHBK:1234567890` → `KASITHBK:****7890`. The stars never tell the length,
 * and a value shorter than eight characters shows no tail (four of them would give most of it away).
 */
const KEEP_TAIL = 4;
const SHOW_TAIL_FROM = 2 * KEEP_TAIL;

const maskPart = (value: string): string =>
  `****${value.length >= SHOW_TAIL_FROM ? value.slice(-KEEP_TAIL) : ''}`;

/**
 * One masking function for every identifier. A key `<institution>:<identifier>` (account keys, wallet keys
 * `<chain>:<address>`, identifier keys `<type>:<value>`) keeps its first part, which names an institution,
 * chain or identifier type, not a person.
 */
export const maskIdentifier = (value: string): string => {
  const separator = value.indexOf(':');
  if (separator <= 0) return maskPart(value);
  return `${value.slice(0, separator)}:${maskPart(value.slice(separator + 1))}`;
};

/** Runs of 6+ digits (account and phone numbers) inside free text. */
const DIGIT_RUNS = /\+?\d[\d -]{4,}\d/g;

/** Masks account and phone numbers that appear inside free text such as an error message. */
export const maskText = (text: string): string => text.replace(DIGIT_RUNS, (run) => maskPart(run));
