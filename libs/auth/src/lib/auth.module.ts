import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthDetailsAccess } from '@ecom/health';
import { AdminHealthDetails } from './admin-health-details';
import { tokenSignerProvider, tokenVerifierProvider } from './auth.providers';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RevokedUsers } from './revocation/revoked-users';

export interface AuthModuleOptions {
  /** user-service only: also provide TokenSigner, which needs jwtSignConfig() */
  readonly sign?: boolean;
}

/**
 * bearer-token auth for every route of the service (JwtAuthGuard), verified with jwtVerifyConfig().
 * RevokedUsers is filled from user.deleted by KafkaModule's UserDeletionsFeed. an admin token also
 * shows the readiness details on the public /health/ready (AdminHealthDetails).
 */
@Module({})
export class AuthModule {
  static forRoot({ sign = false }: AuthModuleOptions = {}): DynamicModule {
    const signer = sign ? [tokenSignerProvider] : [];
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: RevokedUsers, useFactory: () => new RevokedUsers() },
        tokenVerifierProvider,
        ...signer,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: HealthDetailsAccess, useClass: AdminHealthDetails },
      ],
      exports: [RevokedUsers, tokenVerifierProvider.provide, ...signer.map((p) => p.provide), HealthDetailsAccess],
    };
  }
}
