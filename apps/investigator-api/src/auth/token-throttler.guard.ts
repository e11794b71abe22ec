import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './principal';

/** Rate limit per token subject (not per IP: many analysts sit behind one office NAT). */
@Injectable()
export class TokenThrottlerGuard extends ThrottlerGuard {
  override canActivate(context: ExecutionContext): Promise<boolean> {
    return context.getType() === 'http' ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = (request as unknown as AuthenticatedRequest).principal;
    return Promise.resolve(
      principal ? `sub:${principal.role}:${principal.sub}` : `ip:${String(request['ip'])}`,
    );
  }
}
