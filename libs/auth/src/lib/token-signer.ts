import type { KeyObject } from 'node:crypto';
import type { AccessToken, AuthUser } from './auth-user';
import { SignJWT } from 'jose';
import { JWT_ALG } from './constants';
import { keyIdOf } from './key-id';

export interface TokenSignerOptions {
  readonly privateKey: KeyObject;
  readonly ttlSeconds: number;
  readonly issuer: string;
  readonly audience: string;
  /** ms since the epoch; tests move it */
  readonly now?: () => number;
}

export interface TokenSubject {
  readonly sub: string;
  readonly role: AuthUser['role'];
  readonly email?: string;
}

/** issues access tokens; only user-service holds the private key it needs */
export class TokenSigner {
  private readonly keyId: string;

  constructor(private readonly options: TokenSignerOptions) {
    const { privateKey } = options;
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('TokenSigner needs an Ed25519 private key');
    this.keyId = keyIdOf(options.privateKey);
  }

  async sign({ sub, role, email }: TokenSubject): Promise<AccessToken> {
    // the verifier refuses a token without a subject; fail here, where the bug is
    if (!sub) throw new Error('TokenSigner.sign: sub must not be empty');
    const { privateKey, ttlSeconds, issuer, audience, now = Date.now } = this.options;
    const iat = Math.floor(now() / 1000);
    const accessToken = await new SignJWT({ role, ...(email !== undefined && { email }) })
      .setProtectedHeader({ alg: JWT_ALG, typ: 'JWT', kid: this.keyId })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(privateKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: ttlSeconds };
  }
}
