import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from '../http/problem';
import type { Role } from '@scamflow/contracts';

/** The caller, as the verified bearer token names it. */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  /** The reporting institution of a `bank` caller (always set for that role); optional for the others. */
  readonly institutionId?: string;
}

/** Express request once the JWT guard has run. */
export type AuthenticatedRequest = Request & { principal?: Principal };

export const principalOf = (request: AuthenticatedRequest): Principal => {
  if (!request.principal) throw new ProblemException(401, 'Unauthorized', 'no verified bearer token');
  return request.principal;
};

/** `@CurrentPrincipal() principal: Principal` in a controller method. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
