import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '../audit/audit.module';
import type { InvestigatorApiConfig } from '../investigator-api.config';
import { JwtAuthGuard, RolesGuard } from './auth.guards';
import { TokenThrottlerGuard } from './token-throttler.guard';
import { TokenVerifier } from './token-verifier';

/** Global guards, in this order: bearer token → rate limit per token subject → role from ROLE_MATRIX. */
@Module({})
export class AuthModule {
  static register(config: InvestigatorApiConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        AuditModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'per-token', ttl: config.API_RATE_WINDOW_MS, limit: config.API_RATE_LIMIT }],
        }),
      ],
      providers: [
        TokenVerifier,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: TokenThrottlerGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
