import type { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { jwtSignConfig, jwtVerifyConfig, type ConfigPiece, type ConfigValue } from '@ecom/config';
import { TokenSigner } from './token-signer';
import { RevokedUsers } from './revocation/revoked-users';
import { TokenVerifier } from './token-verifier';

// the key comes from the piece itself, and a missing piece says which one to add
function valueOf<P extends ConfigPiece>(config: ConfigService, piece: () => P): ConfigValue<P> {
  const value = config.get<ConfigValue<P>>(piece().key);
  if (value === undefined) throw new Error(`AuthModule needs ${piece.name}() in the service's config`);
  return value;
}

export const tokenVerifierProvider: FactoryProvider<TokenVerifier> = {
  provide: TokenVerifier,
  inject: [ConfigService, RevokedUsers],
  useFactory: (config: ConfigService, revoked: RevokedUsers) => new TokenVerifier({ ...valueOf(config, jwtVerifyConfig), revoked }),
};

export const tokenSignerProvider: FactoryProvider<TokenSigner> = {
  provide: TokenSigner,
  inject: [ConfigService],
  useFactory: (config: ConfigService) => {
    const { issuer, audience } = valueOf(config, jwtVerifyConfig);
    return new TokenSigner({ ...valueOf(config, jwtSignConfig), issuer, audience });
  },
};
