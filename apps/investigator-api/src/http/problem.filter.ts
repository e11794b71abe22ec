import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ThrottlerException } from '@nestjs/throttler';
import { PROBLEM_CONTENT_TYPE, ProblemException, type ProblemDocument } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * The route pattern (`/alerts/:alertId`), never the path: paths carry account keys and case ids, and logs must
 * not. The message of an unexpected error is left out for the same reason (drivers quote parameters).
 */
const routeOf = (request: Request): string => {
  const route: unknown = request.route;
  return typeof route === 'object' && route !== null && 'path' in route ? String(route.path) : '(no route)';
};

const titleOf = (status: number): string => TITLES[status] ?? 'Error';

/** Path only: query strings can carry identifiers, and `instance` is echoed into logs and clients. */
const instanceOf = (request: Request): string => request.path;

const messageOf = (response: unknown, fallback: string): string => {
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return fallback;
};

/** Maps any thrown value to an RFC 9457 document. Never a stack trace, never an internal message for a 5xx. */
export const toProblem = (error: unknown, request: Request): ProblemDocument => {
  const instance = instanceOf(request);
  if (error instanceof ProblemException) {
    const status = error.getStatus();
    return {
      type: 'about:blank',
      ...error.extras,
      title: error.title,
      status,
      detail: error.detail,
      instance,
    };
  }
  if (error instanceof ThrottlerException) {
    return {
      type: 'about:blank',
      title: titleOf(429),
      status: 429,
      detail: 'rate limit for this token exceeded; retry later',
      instance,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const detail =
      status === 404
        ? `no route ${request.method} ${request.path}`
        : messageOf(error.getResponse(), titleOf(status));
    return { type: 'about:blank', title: titleOf(status), status, detail, instance };
  }
  return {
    type: 'about:blank',
    title: titleOf(500),
    status: 500,
    detail: 'the request failed on the server; it has been logged',
    instance,
  };
};

export const sendProblem = (response: Response, problem: ProblemDocument): void => {
  if (response.headersSent) {
    response.end();
    return;
  }
  const retryAfter = problem['retryAfterSeconds'];
  if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
};

/** Global filter: every error of every route (and unknown routes) leaves as `application/problem+json`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = toProblem(error, request);
    if (problem.status === 503) {
      this.logger.warn(`${request.method} ${routeOf(request)} refused: ${problem.title}`);
    } else if (problem.status >= 500) {
      this.logger.error(
        `${request.method} ${routeOf(request)} failed: ${error instanceof Error ? error.name : 'non-error thrown'}`,
      );
    }
    sendProblem(http.getResponse<Response>(), problem);
  }
}
