import type { z } from 'zod';
import { ProblemException, problemType, type ProblemFieldError } from './problem';

export type InputLocation = 'query' | 'body' | 'path';

/** Every issue of a failed parse, each with its full path (`query.hops`) and zod's message. */
export const fieldErrorsOf = (error: z.ZodError, where: InputLocation): ProblemFieldError[] =>
  error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));

/** Parses request input at the edge: the typed value, or a 400 problem listing every issue. */
export const parseInput = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: InputLocation,
): z.output<S> => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error, where);
  throw new ProblemException(
    400,
    'Invalid request',
    `${errors.length} problem${errors.length === 1 ? '' : 's'} in the request ${where}`,
    { type: problemType('validation'), errors },
  );
};
