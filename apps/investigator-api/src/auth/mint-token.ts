import { JwtService } from '@nestjs/jwt';
import type { Role } from '@scamflow/contracts';

export interface MintTokenOptions {
  readonly role: Role;
  readonly sub: string;
  readonly institutionId?: string;
  /** Seconds, or a string like "8h"; negative seconds mint an already expired token (tests). */
  readonly expiresIn?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
}

/** Signs an HS256 token with the claims the API reads (development and tests; production tokens come from an IdP). */
export const mintToken = (secret: string, options: MintTokenOptions): string => {
  const payload = {
    sub: options.sub,
    role: options.role,
    ...(options.institutionId ? { institution: options.institutionId } : {}),
  };
  const expiresIn = options.expiresIn ?? '8h';
  if (typeof expiresIn === 'number' && expiresIn <= 0) {
    const now = Math.floor(Date.now() / 1000);
    return new JwtService().sign(
      { ...payload, iat: now + expiresIn - 60, exp: now + expiresIn },
      {
        secret,
        algorithm: 'HS256',
      },
    );
  }
  return new JwtService().sign(payload, { secret, algorithm: 'HS256', expiresIn });
};
