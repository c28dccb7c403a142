import type { KeyObject } from 'node:crypto';
import type { AccessToken, AuthUser } from './auth-user';
import { keyIdOf, signJws } from './jws';

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
    this.keyId = keyIdOf(options.privateKey);
  }

  sign({ sub, role, email }: TokenSubject): AccessToken {
    // the verifier refuses a token without a subject; fail here, where the bug is
    if (!sub) throw new Error('TokenSigner.sign: sub must not be empty');
    const { privateKey, ttlSeconds, issuer, audience, now = Date.now } = this.options;
    const iat = Math.floor(now() / 1000);
    const claims = { sub, role, ...(email !== undefined && { email }), iss: issuer, aud: audience, iat, exp: iat + ttlSeconds };
    return { accessToken: signJws({ typ: 'JWT', kid: this.keyId }, claims, privateKey), tokenType: 'Bearer', expiresIn: ttlSeconds };
  }
}
