import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { JWT_ALG } from './constants';
import { InvalidTokenError } from './invalid-token.error';

// compact jws (rfc 7515) with ed25519, on node's own crypto; adr 0007 says why not a library

const SEGMENT = /^[A-Za-z0-9_-]+$/;

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(segment: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidTokenError('malformed');
}

/** rfc 7638 thumbprint of the public key: the kid, so verifiers can pick a key once there are several */
export function keyIdOf(key: KeyObject): string {
  const { crv, kty, x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
}

export function signJws(header: Record<string, unknown>, payload: object, privateKey: KeyObject): string {
  const input = `${encode({ ...header, alg: JWT_ALG })}.${encode(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

/** the payload, once the header and the signature check out */
export function verifyJws(token: string, publicKey: KeyObject): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[0]) || !SEGMENT.test(parts[1])) throw new InvalidTokenError('malformed');
  const [header, payload, signature] = parts;
  // the algorithm is pinned here, never taken from the token: that is what stops alg "none" and
  // hs256 "signed" with the public key as its secret. crit would name extensions we do not implement
  const { alg, crit } = decode(header);
  if (alg !== JWT_ALG || crit !== undefined) throw new InvalidTokenError('unexpected algorithm');
  if (!SEGMENT.test(signature) || !verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) {
    throw new InvalidTokenError('bad signature');
  }
  return decode(payload);
}
