import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ProblemDocument } from './problem';
import { sendProblem } from './problem.filter';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPES = ['application/json', 'application/*+json'];

const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? '0') > 0;

const problem = (request: Request, status: number, title: string, detail: string): ProblemDocument => ({
  type: 'about:blank',
  title,
  status,
  detail,
  instance: request.path,
});

const parserFailure = (request: Request, error: unknown, limitBytes: number): ProblemDocument => {
  const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
  switch (type) {
    case 'entity.too.large':
      return problem(request, 413, 'Payload too large', `request bodies are limited to ${limitBytes} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(
        request,
        415,
        'Unsupported media type',
        'bodies must be JSON in UTF-8 without content encoding',
      );
    case 'entity.parse.failed':
      return problem(request, 400, 'Malformed JSON', 'the request body is not well-formed JSON');
    default:
      return problem(request, 400, 'Unreadable body', 'the request body could not be read');
  }
};

/**
 * Reads JSON bodies (only JSON: 415 for other types, 413 past the limit, 400 for malformed JSON), each refusal
 * as problem+json before any handler runs, so a refused body never reaches a use case.
 */
export const jsonBodyMiddleware = (limitBytes: number): RequestHandler => {
  const parse = express.json({ limit: limitBytes, strict: true, type: JSON_TYPES });
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!METHODS_WITH_BODY.has(request.method) || !hasBody(request)) {
      next();
      return;
    }
    if (!request.is(JSON_TYPES)) {
      sendProblem(
        response,
        problem(
          request,
          415,
          'Unsupported media type',
          `send the body as application/json (got ${request.headers['content-type'] ?? 'no content type'})`,
        ),
      );
      return;
    }
    parse(request, response, (error?: unknown) => {
      if (error) sendProblem(response, parserFailure(request, error, limitBytes));
      else next();
    });
  };
};
