import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';
import { ProblemException } from '../http/problem';
import { JwtClaimsSchema } from './jwt-claims.schema';
import type { Principal } from './principal';

const unauthorized = (detail: string): ProblemException =>
  new ProblemException(401, 'Unauthorized', detail, { type: 'about:blank' });

/** The algorithm follows the key: RS256 with a public key, HS256 with a shared secret; never `none`. */
export const verificationOf = (config: InvestigatorApiConfig) =>
  config.API_JWT_PUBLIC_KEY
    ? { key: config.API_JWT_PUBLIC_KEY, algorithms: ['RS256' as const] }
    : { key: config.API_JWT_SECRET ?? '', algorithms: ['HS256' as const] };

/**
 * Verifies a bearer token (signature, expiry, issuer, audience, claims) and returns its principal. The key is
 * parsed once into a KeyObject (jsonwebtoken would otherwise parse the PEM or wrap the secret on every request).
 */
@Injectable()
export class TokenVerifier {
  private readonly jwt: JwtService;
  private readonly algorithms: ReturnType<typeof verificationOf>['algorithms'];

  constructor(@Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig) {
    const { key, algorithms } = verificationOf(config);
    const keyObject: KeyObject = config.API_JWT_PUBLIC_KEY
      ? createPublicKey(key)
      : createSecretKey(Buffer.from(key));
    this.jwt = new JwtService({ publicKey: keyObject });
    this.algorithms = algorithms;
  }

  async verify(token: string): Promise<Principal> {
    let payload: unknown;
    try {
      payload = await this.jwt.verifyAsync<object>(token, {
        algorithms: this.algorithms,
        ...(this.config.API_JWT_ISSUER ? { issuer: this.config.API_JWT_ISSUER } : {}),
        ...(this.config.API_JWT_AUDIENCE ? { audience: this.config.API_JWT_AUDIENCE } : {}),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      throw unauthorized(
        name === 'TokenExpiredError' ? 'the bearer token has expired' : 'the bearer token is not valid',
      );
    }
    const claims = JwtClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthorized('the bearer token lacks a valid sub, role or institution claim');
    const { sub, role, institution } = claims.data;
    return institution === undefined ? { sub, role } : { sub, role, institutionId: institution };
  }
}
