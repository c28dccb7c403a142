import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AccessToken } from './auth-user';
import { InvalidTokenError } from './invalid-token.error';
import { TokenSigner } from './token-signer';
import { TokenVerifier } from './token-verifier';

const T0 = Date.UTC(2026, 10, 1);
const keys = generateKeyPairSync('ed25519');
const claims = { issuer: 'ecom-user-service', audience: 'ecom' };
const signer = (privateKey = keys.privateKey, now = () => T0) => new TokenSigner({ privateKey, ttlSeconds: 600, now, ...claims });
const verifier = (over: Partial<ConstructorParameters<typeof TokenVerifier>[0]> = {}) =>
  new TokenVerifier({ publicKey: keys.publicKey, now: () => T0, ...claims, ...over });

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

async function reasonOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof InvalidTokenError) return e.reason;
    throw e;
  }
  throw new Error('expected an InvalidTokenError');
}

describe('TokenSigner and TokenVerifier', () => {
  let customer: AccessToken;
  beforeAll(async () => {
    customer = await signer().sign({ sub: 'user-1', role: 'customer', email: 'ann@example.com' });
  });

  it('round-trips a user through a signed token', async () => {
    expect(customer).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });
    await expect(verifier().verify(customer.accessToken)).resolves.toEqual({ id: 'user-1', role: 'customer', email: 'ann@example.com' });
    const admin = await signer().sign({ sub: 'user-2', role: 'admin' });
    await expect(verifier().verify(admin.accessToken)).resolves.toEqual({ id: 'user-2', role: 'admin' });
  });

  it('writes the standard claims and a key id in the header', () => {
    const [header] = customer.accessToken.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      typ: 'JWT',
      kid: expect.stringMatching(/^[\w-]{43}$/),
      alg: 'EdDSA',
    });
    expect(payloadOf(customer.accessToken)).toMatchObject({ iss: 'ecom-user-service', aud: 'ecom', iat: T0 / 1000, exp: T0 / 1000 + 600 });
  });

  it('refuses an expired token, after a little clock skew', async () => {
    expect((await verifier({ now: () => T0 + 620_000 }).verify(customer.accessToken)).id).toBe('user-1');
    expect(await reasonOf(() => verifier({ now: () => T0 + 640_000 }).verify(customer.accessToken))).toBe('expired');
  });

  it('refuses a token for another issuer or audience', async () => {
    expect(await reasonOf(() => verifier({ issuer: 'someone-else' }).verify(customer.accessToken))).toBe('wrong issuer');
    expect(await reasonOf(() => verifier({ audience: 'another-app' }).verify(customer.accessToken))).toBe('wrong audience');
  });

  it('refuses a token signed by another key, or changed after signing', async () => {
    const stranger = await signer(generateKeyPairSync('ed25519').privateKey).sign({ sub: 'user-1', role: 'admin' });
    expect(await reasonOf(() => verifier().verify(stranger.accessToken))).toBe('bad signature');
    const [header, , signature] = customer.accessToken.split('.');
    const promoted = b64({ ...payloadOf(customer.accessToken), role: 'admin' });
    expect(await reasonOf(() => verifier().verify(`${header}.${promoted}.${signature}`))).toBe('bad signature');
  });

  it('refuses alg "none" and hs256 forged with the public key as the secret', async () => {
    const body = b64(payloadOf(customer.accessToken));
    expect(await reasonOf(() => verifier().verify(`${b64({ alg: 'none', typ: 'JWT' })}.${body}.`))).toBe('unexpected algorithm');
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${body}`;
    const forged = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(await reasonOf(() => verifier().verify(forged))).toBe('unexpected algorithm');
  });

  it('refuses malformed tokens and unexpected claims', async () => {
    for (const token of ['', 'abc', 'a.b.c.d', '!!.??.x', 'abc..x', 'abc.def.ghi', `${b64([])}.e30.x`]) {
      expect(await reasonOf(() => verifier().verify(token))).toBe('malformed');
    }
    const guest = await signer().sign({ sub: 'user-3', role: 'guest' as 'admin' });
    expect(await reasonOf(() => verifier().verify(guest.accessToken))).toBe('unexpected claims');
  });

  it('accepts only ed25519 keys of the right kind', async () => {
    expect(() => new TokenVerifier({ publicKey: keys.privateKey, ...claims })).toThrow('TokenVerifier needs an Ed25519 public key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => new TokenSigner({ privateKey: rsa.privateKey, ttlSeconds: 60, ...claims })).toThrow(
      'TokenSigner needs an Ed25519 private key',
    );
    await expect(signer().sign({ sub: '', role: 'customer' })).rejects.toThrow('sub must not be empty');
  });
});
