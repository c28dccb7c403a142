import type { KeyObject } from 'node:crypto';
import { ROLES, type AuthUser, type Role } from './auth-user';
import { CLOCK_TOLERANCE_SECONDS } from './constants';
import { InvalidTokenError } from './invalid-token.error';
import { verifyJws } from './jws';

export interface TokenVerifierOptions {
  readonly publicKey: KeyObject;
  readonly issuer: string;
  readonly audience: string;
  /** ms since the epoch; tests move it */
  readonly now?: () => number;
}

const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** checks an access token with the public key alone: no call to user-service */
export class TokenVerifier {
  constructor(private readonly options: TokenVerifierOptions) {
    // the algorithm is pinned to ed25519, so any other key is a wiring mistake
    const { publicKey } = options;
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') throw new Error('TokenVerifier needs an Ed25519 public key');
  }

  /** the user the token names; throws InvalidTokenError saying why it is refused */
  verify(token: string): AuthUser {
    const { publicKey, issuer, audience, now = Date.now } = this.options;
    const { iss, aud, exp, nbf, sub, role, email } = verifyJws(token, publicKey);
    if (typeof sub !== 'string' || sub === '' || !isRole(role) || typeof exp !== 'number' || (email !== undefined && typeof email !== 'string')) {
      throw new InvalidTokenError('unexpected claims');
    }
    if (iss !== issuer) throw new InvalidTokenError('wrong issuer');
    if (aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) throw new InvalidTokenError('wrong audience');
    const at = Math.floor(now() / 1000);
    if (at - CLOCK_TOLERANCE_SECONDS >= exp) throw new InvalidTokenError('expired');
    if (nbf !== undefined && (typeof nbf !== 'number' || at + CLOCK_TOLERANCE_SECONDS < nbf)) throw new InvalidTokenError('not valid yet');
    return { id: sub, role, ...(email !== undefined && { email }) };
  }
}
