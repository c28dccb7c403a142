import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** rfc 7638 thumbprint of the public key: the kid, so verifiers can pick a key once there are several */
export function keyIdOf(key: KeyObject): string {
  const { crv, kty, x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url');
}
