import type { KeyObject } from 'node:crypto';
import { MAX_TOKEN_LIFETIME_SECONDS } from '@ecom/config';
import { ROLES, type AuthUser, type Role } from './auth-user';
import { CLOCK_TOLERANCE_SECONDS } from './constants';
import { InvalidTokenError } from './invalid-token.error';
import { errors, jwtVerify } from 'jose';
import { JWT_ALG } from './constants';
import { keyIdOf } from './key-id';

export interface TokenVerifierOptions {
  /** every key a token may be signed with, told apart by the token's kid (more than one while a key is rolled) */
  readonly publicKeys: readonly KeyObject[];
  readonly issuer: string;
  readonly audience: string;
  /** ms since the epoch; tests move it */
  readonly now?: () => number;
  /** users whose tokens stop working before they expire (deleted users) */
  readonly revoked?: { isRevoked(userId: string): boolean };
}

const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

class UnknownKey extends Error {}

/** tokens whose signature and claims were checked already, newest last */
const VERIFIED_CACHE_SIZE = 10_000;

interface Verified {
  readonly user: AuthUser;
  readonly exp: number;
  readonly nbf: number;
}

/** checks an access token with the public keys alone: no call to user-service */
export class TokenVerifier {
  private readonly keys: ReadonlyMap<string, KeyObject>;
  // a client sends the same token with every request until it expires, and an Ed25519 check
  // costs more than the rest of a cached read. keyed by the whole token, signature included:
  // only the very string that passed is found here. its time claims and the revocation list are
  // still checked on every use
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly options: TokenVerifierOptions) {
    // the algorithm is pinned to ed25519, so any other key is a wiring mistake
    if (options.publicKeys.length === 0) throw new Error('TokenVerifier needs at least one public key');
    for (const key of options.publicKeys)
      if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') throw new Error('TokenVerifier needs Ed25519 public keys');
    this.keys = new Map(options.publicKeys.map((key) => [keyIdOf(key), key]));
  }

  /** the user the token names; throws InvalidTokenError saying why it is refused */
  async verify(token: string): Promise<AuthUser> {
    const { now = Date.now } = this.options;
    const hit = this.verified.get(token);
    if (hit) {
      const t = now() / 1000;
      // as jose judges them: expired once exp is past by the tolerance, not valid before nbf minus it
      if (t - CLOCK_TOLERANCE_SECONDS >= hit.exp) throw new InvalidTokenError('expired');
      if (t + CLOCK_TOLERANCE_SECONDS < hit.nbf) throw new InvalidTokenError('not valid yet');
      if (this.options.revoked?.isRevoked(hit.user.id)) throw new InvalidTokenError('revoked');
      return hit.user;
    }
    return this.verifySignature(token);
  }

  private async verifySignature(token: string): Promise<AuthUser> {
    const { issuer, audience, now = Date.now } = this.options;
    let payload: Record<string, unknown>;
    try {
      // the algorithm is pinned, never taken from the token: that stops alg "none" and hs256
      // "signed" with the public key as its secret. the key is the one the kid names; a token
      // without a kid, or with one we don't hold, is refused before any signature check
      ({ payload } = await jwtVerify(
        token,
        ({ kid }) => {
          const key = kid === undefined ? undefined : this.keys.get(kid);
          if (!key) throw new UnknownKey();
          return key;
        },
        {
          algorithms: [JWT_ALG],
          issuer,
          audience,
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        },
      ));
    } catch (e) {
      throw new InvalidTokenError(reasonFor(e));
    }
    // a valid signature on a token meant to outlive MAX_TOKEN_LIFETIME_SECONDS still isn't honoured
    if (Number(payload['exp']) - Number(payload['iat']) > MAX_TOKEN_LIFETIME_SECONDS) throw new InvalidTokenError('lifetime too long');
    if (Number(payload['iat']) > now() / 1000 + CLOCK_TOLERANCE_SECONDS) throw new InvalidTokenError('issued in the future');
    const { sub, role, email } = payload;
    if (typeof sub !== 'string' || sub === '' || !isRole(role) || (email !== undefined && typeof email !== 'string')) {
      throw new InvalidTokenError('unexpected claims');
    }
    if (this.options.revoked?.isRevoked(sub)) throw new InvalidTokenError('revoked');
    const user: AuthUser = { id: sub, role, ...(email !== undefined && { email }) };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { user, exp: Number(payload['exp']), nbf: Number(payload['nbf'] ?? -Infinity) });
    return user;
  }
}

/** jose's error, as a reason that is safe to show the caller */
function reasonFor(e: unknown): string {
  if (e instanceof UnknownKey) return 'unknown key';
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
