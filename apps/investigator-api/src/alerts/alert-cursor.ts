import { z } from 'zod';
import type { AlertSortKey } from '@scamflow/graph';
import { ProblemException } from '../http/problem';

const CursorSchema = z.strictObject({
  s: z.string(),
  v: z.union([z.string(), z.number()]),
  id: z.string(),
});

/** Opaque keyset cursor: the sort it belongs to and the last row's sort value and id. */
export const encodeCursor = (sort: string, value: string | number, alertId: string): string =>
  Buffer.from(JSON.stringify({ s: sort, v: value, id: alertId })).toString('base64url');

export const decodeCursor = (
  cursor: string,
  sort: string,
): { readonly value: string | number; readonly alertId: string } => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = CursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.s !== sort) {
    throw new ProblemException(400, 'Invalid request', 'cursor is not a nextCursor of this sort order', {
      errors: [{ path: 'query.cursor', message: 'not a cursor of this list and sort' }],
    });
  }
  return { value: parsed.data.v, alertId: parsed.data.id };
};

export const SORTS: Readonly<Record<string, { key: AlertSortKey; descending: boolean }>> = {
  '-raisedAt': { key: 'raisedAt', descending: true },
  raisedAt: { key: 'raisedAt', descending: false },
  '-severity': { key: 'severityRank', descending: true },
  severity: { key: 'severityRank', descending: false },
  '-score': { key: 'score', descending: true },
  score: { key: 'score', descending: false },
};
