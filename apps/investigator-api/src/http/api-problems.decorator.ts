import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input: every problem listed in `errors`',
  401: 'missing, expired or forged bearer token',
  403: 'the role may not call this endpoint',
  404: 'not found (or not visible to the caller)',
  409: 'conflict with the current state',
  413: 'body too large',
  415: 'body is not JSON',
  429: 'rate limit for this token exceeded',
  503: 'this instance runs and queues the most graph traversals it allows: retry after `Retry-After` seconds',
};

/** Documents the application/problem+json answers a route can give. */
export const ApiProblems = (...statuses: number[]): MethodDecorator =>
  applyDecorators(
    ...[401, 403, 429, ...statuses].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'error',
        content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
      }),
    ),
  );
