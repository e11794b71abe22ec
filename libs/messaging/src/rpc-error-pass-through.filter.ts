import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter replaces every error a handler throws with `{status: 'error', message: 'Internal
 * server error'}`: kafkajs then logs `[object Object]` and the real class, message and cause are lost. This
 * filter hands the error on unchanged to the batch transport, which logs and counts it. Other contexts (HTTP)
 * keep Nest's default handling.
 */
@Catch()
export class RpcErrorPassThroughFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    super.catch(exception, host);
  }
}
