import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemFieldError {
  /** Where the problem is, e.g. `query.hops` or `body.victimAccounts.0.accountId`. */
  readonly path: string;
  readonly message: string;
}

/** RFC 9457 problem details, as every error of the API is rendered. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly [extension: string]: unknown;
}

/** `type` URIs: relative to the API's documentation; `about:blank` when the status says it all. */
export const problemType = (slug: string): string => `/docs/problems/${slug}`;

/**
 * An error the client can act on. `extras` become problem extension members (e.g. `errors`, `limit`,
 * `currentState`); `type` defaults to `about:blank`.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly extras: Readonly<Record<string, unknown>> & { type?: string; errors?: ProblemFieldError[] } = {},
  ) {
    super({ title, detail, ...extras }, status);
  }
}
