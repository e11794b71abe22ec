import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppendAuditEntryService } from '../audit/append-audit-entry.service';
import { auditContentOf } from '../audit/audit-content';
import { ProblemException } from '../http/problem';
import type { AuthenticatedRequest } from './principal';
import type { Role } from '@scamflow/contracts';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenVerifier } from './token-verifier';

const isPublic = (reflector: Reflector, context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) ===
  true;

/** Every route but `@Public()` ones needs a valid bearer token; the principal is put on the request. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || isPublic(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
    if (!match?.[1]) {
      throw new ProblemException(401, 'Unauthorized', 'an Authorization: Bearer <token> header is required');
    }
    request.principal = await this.verifier.verify(match[1]);
    return true;
  }
}

/**
 * The route's `@Roles(...)` (from ROLE_MATRIX) must include the caller's role; no `@Roles` means nobody. A refusal
 * is audited before the 403.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AppendAuditEntryService) private readonly appendAuditEntry: AppendAuditEntryService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || isPublic(this.reflector, context)) return true;
    const allowed = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.principal;
    if (principal && allowed?.includes(principal.role)) return true;
    // A refused attempt by a known caller is evidence too (who tried to read what they may not).
    await this.appendAuditEntry.execute(auditContentOf(request, 403));
    throw new ProblemException(
      403,
      'Forbidden',
      `role ${principal?.role ?? '(none)'} may not call this endpoint`,
      allowed ? { allowedRoles: allowed } : {},
    );
  }
}
