import {
  Inject,
  Injectable,
  Logger,
  RequestMethod,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, map, type Observable, throwError } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal';
import { toProblem } from '../http/problem.filter';
import { auditContentOf } from './audit-content';
import { NO_AUDIT_KEY } from './audit.decorators';
import { AppendAuditEntryService } from './append-audit-entry.service';

/**
 * Appends one hash-chained audit entry per request that reaches a handler (who, role, institution, route and
 * parameters, result code, when, and the accounts/alerts/cases the handler disclosed). The response waits for
 * the append: a read the log does not show is not served.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AppendAuditEntryService) private readonly appendAuditEntry: AppendAuditEntryService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(NO_AUDIT_KEY, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === RequestMethod[RequestMethod.POST] ? 201 : 200);
    return next.handle().pipe(
      concatMap((data: unknown) => from(this.append(request, successStatus)).pipe(map(() => data))),
      catchError((error: unknown) =>
        from(this.append(request, toProblem(error, request).status)).pipe(
          concatMap(() => throwError(() => error)),
        ),
      ),
    );
  }

  private async append(request: AuthenticatedRequest, status: number): Promise<void> {
    const content = auditContentOf(request, status);
    try {
      await this.appendAuditEntry.execute(content);
    } catch (error) {
      this.logger.error(`audit append failed for ${content.route}: ${String(error)}`);
      throw error;
    }
  }
}
