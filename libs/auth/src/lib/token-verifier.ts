import type { KeyObject } from 'node:crypto';
import { ROLES, type AuthUser, type Role } from './auth-user';
import { CLOCK_TOLERANCE_SECONDS } from './constants';
import { InvalidTokenError } from './invalid-token.error';
import { errors, jwtVerify } from 'jose';
import { JWT_ALG } from './constants';

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
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519')
      throw new Error('TokenVerifier needs an Ed25519 public key');
  }

  /** the user the token names; throws InvalidTokenError saying why it is refused */
  async verify(token: string): Promise<AuthUser> {
    const { publicKey, issuer, audience, now = Date.now } = this.options;
    let payload: Record<string, unknown>;
    try {
      // the algorithm is pinned, never taken from the token: that stops alg "none" and hs256
      // "signed" with the public key as its secret
      ({ payload } = await jwtVerify(token, publicKey, {
        algorithms: [JWT_ALG],
        issuer,
        audience,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now()),
      }));
    } catch (e) {
      throw new InvalidTokenError(reasonFor(e));
    }
    const { sub, role, email } = payload;
    if (typeof sub !== 'string' || sub === '' || !isRole(role) || (email !== undefined && typeof email !== 'string')) {
      throw new InvalidTokenError('unexpected claims');
    }
    return { id: sub, role, ...(email !== undefined && { email }) };
  }
}

/** jose's error, as a reason that is safe to show the caller */
function reasonFor(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'iss') return 'wrong issuer';
    if (e.claim === 'aud') return 'wrong audience';
    if (e.claim === 'nbf') return 'not valid yet';
    return 'unexpected claims';
  }
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return 'unexpected algorithm';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (e instanceof errors.JOSEError) return 'malformed';
  throw e;
}
