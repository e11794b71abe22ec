import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { AuditContent } from '@scamflow/graph';
import type { AuthenticatedRequest } from '../auth/principal';
import { canonicalJson } from './audit-chain';
import { auditSubjectsOf } from './audit-subjects';

/** Bodies up to this size are kept in the entry; larger ones by their SHA-256 only. */
const MAX_AUDITED_BODY_CHARS = 2_048;

const routeIdOf = (request: Request): string => {
  const route: unknown = request.route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? String(route.path) : '';
  return `${request.method} ${path || request.path}`;
};

const paramsOf = (request: Request): string => {
  const body: unknown = request.body;
  const hasBody =
    body !== undefined && body !== null && !(typeof body === 'object' && Object.keys(body).length === 0);
  const bodyJson = hasBody ? canonicalJson(body) : undefined;
  return canonicalJson({
    path: request.params,
    query: request.query,
    ...(bodyJson === undefined
      ? {}
      : bodyJson.length <= MAX_AUDITED_BODY_CHARS
        ? { body: body }
        : { bodySha256: createHash('sha256').update(bodyJson).digest('hex') }),
  });
};

/** The audit entry of a request: who, route, parameters, result, when, and what it disclosed. */
export const auditContentOf = (request: AuthenticatedRequest, status: number): AuditContent => ({
  at: new Date().toISOString(),
  sub: request.principal?.sub ?? '(anonymous)',
  role: request.principal?.role ?? '(none)',
  institutionId: request.principal?.institutionId ?? null,
  method: request.method,
  route: routeIdOf(request),
  params: paramsOf(request),
  status,
  ...auditSubjectsOf(request),
});
