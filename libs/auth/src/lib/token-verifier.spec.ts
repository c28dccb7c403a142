import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AccessToken } from './auth-user';
import { InvalidTokenError } from './invalid-token.error';
import { keyIdOf } from './key-id';
import { RevokedUsers } from './revocation/revoked-users';
import { TokenSigner } from './token-signer';
import { TokenVerifier } from './token-verifier';

const T0 = Date.UTC(2026, 10, 1);
const keys = generateKeyPairSync('ed25519');
const claims = { issuer: 'ecom-user-service', audience: 'ecom' };
const signer = (privateKey = keys.privateKey, now = () => T0) => new TokenSigner({ privateKey, ttlSeconds: 600, now, ...claims });
const verifier = (over: Partial<ConstructorParameters<typeof TokenVerifier>[0]> = {}) =>
  new TokenVerifier({ publicKeys: [keys.publicKey], now: () => T0, ...claims, ...over });

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

  it("refuses a revoked user's still valid token, and only that user's", async () => {
    const revoked = new RevokedUsers(() => T0);
    const v = verifier({ revoked });
    const other = await signer().sign({ sub: 'user-2', role: 'customer' });
    revoked.revoke('user-1', T0);
    expect(await reasonOf(() => v.verify(customer.accessToken))).toBe('revoked');
    await expect(v.verify(other.accessToken)).resolves.toMatchObject({ id: 'user-2' });
  });

  it('refuses an expired token, after a little clock skew', async () => {
    expect((await verifier({ now: () => T0 + 620_000 }).verify(customer.accessToken)).id).toBe('user-1');
    expect(await reasonOf(() => verifier({ now: () => T0 + 640_000 }).verify(customer.accessToken))).toBe('expired');
  });

  it('checks a token it verified before for expiry and revocation on every use', async () => {
    let now = T0;
    const revoked = new RevokedUsers(() => now);
    const v = verifier({ now: () => now, revoked });
    const other = await signer().sign({ sub: 'user-2', role: 'customer' });
    await expect(v.verify(customer.accessToken)).resolves.toMatchObject({ id: 'user-1' });
    await expect(v.verify(other.accessToken)).resolves.toMatchObject({ id: 'user-2' });
    revoked.revoke('user-2', now);
    expect(await reasonOf(() => v.verify(other.accessToken))).toBe('revoked');
    now = T0 + 620_000;
    await expect(v.verify(customer.accessToken)).resolves.toMatchObject({ id: 'user-1' });
    now = T0 + 640_000;
    expect(await reasonOf(() => v.verify(customer.accessToken))).toBe('expired');
  });

  it('finds only the very string it verified: a token changed after that is checked afresh', async () => {
    const v = verifier();
    await v.verify(customer.accessToken);
    const [header, payload, signature] = customer.accessToken.split('.');
    const promoted = b64({ ...payloadOf(customer.accessToken), role: 'admin' });
    expect(await reasonOf(() => v.verify(`${header}.${promoted}.${signature}`))).toBe('bad signature');
    expect(payload).not.toBe(promoted);
  });

  it('refuses a token for another issuer or audience', async () => {
    expect(await reasonOf(() => verifier({ issuer: 'someone-else' }).verify(customer.accessToken))).toBe('wrong issuer');
    expect(await reasonOf(() => verifier({ audience: 'another-app' }).verify(customer.accessToken))).toBe('wrong audience');
  });

  it('refuses a token signed by a key it does not hold, one that borrows a known kid, or one changed after signing', async () => {
    const strangerKey = generateKeyPairSync('ed25519').privateKey;
    const stranger = await signer(strangerKey).sign({ sub: 'user-1', role: 'admin' });
    expect(await reasonOf(() => verifier().verify(stranger.accessToken))).toBe('unknown key');
    const borrowed = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid: keyIdOf(keys.publicKey) })
      .setSubject('user-1')
      .setIssuer(claims.issuer)
      .setAudience(claims.audience)
      .setIssuedAt(T0 / 1000)
      .setExpirationTime(T0 / 1000 + 60)
      .sign(strangerKey);
    expect(await reasonOf(() => verifier().verify(borrowed))).toBe('bad signature');
    const [header, , signature] = customer.accessToken.split('.');
    const promoted = b64({ ...payloadOf(customer.accessToken), role: 'admin' });
    expect(await reasonOf(() => verifier().verify(`${header}.${promoted}.${signature}`))).toBe('bad signature');
  });

  it('picks the key by kid, so tokens of the old and the new key both verify during a rotation', async () => {
    const next = generateKeyPairSync('ed25519');
    const fromNext = await signer(next.privateKey).sign({ sub: 'user-9', role: 'customer' });
    const both = verifier({ publicKeys: [keys.publicKey, next.publicKey] });
    expect((await both.verify(customer.accessToken)).id).toBe('user-1');
    expect((await both.verify(fromNext.accessToken)).id).toBe('user-9');
    // once the old key is dropped, its tokens stop working
    expect(await reasonOf(() => verifier({ publicKeys: [next.publicKey] }).verify(customer.accessToken))).toBe('unknown key');
  });

  it('refuses a token without a kid or an iat, or one meant to live longer than an hour', async () => {
    const base = () =>
      new SignJWT({ role: 'admin' })
        .setSubject('user-1')
        .setIssuer(claims.issuer)
        .setAudience(claims.audience)
        .setExpirationTime(T0 / 1000 + 60);
    const noKid = await base()
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuedAt(T0 / 1000)
      .sign(keys.privateKey);
    expect(await reasonOf(() => verifier().verify(noKid))).toBe('unknown key');
    const noIat = await base()
      .setProtectedHeader({ alg: 'EdDSA', kid: keyIdOf(keys.publicKey) })
      .sign(keys.privateKey);
    expect(await reasonOf(() => verifier().verify(noIat))).toBe('unexpected claims');
    const century = new TokenSigner({ privateKey: keys.privateKey, ttlSeconds: 100 * 365 * 86_400, now: () => T0, ...claims });
    expect(await reasonOf(async () => verifier().verify((await century.sign({ sub: 'user-1', role: 'admin' })).accessToken))).toBe(
      'lifetime too long',
    );
    const hour = new TokenSigner({ privateKey: keys.privateKey, ttlSeconds: 3600, now: () => T0, ...claims });
    expect((await verifier().verify((await hour.sign({ sub: 'user-1', role: 'admin' })).accessToken)).id).toBe('user-1');
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
    expect(() => new TokenVerifier({ publicKeys: [keys.privateKey], ...claims })).toThrow('TokenVerifier needs Ed25519 public keys');
    expect(() => new TokenVerifier({ publicKeys: [], ...claims })).toThrow('TokenVerifier needs at least one public key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => new TokenSigner({ privateKey: rsa.privateKey, ttlSeconds: 60, ...claims })).toThrow(
      'TokenSigner needs an Ed25519 private key',
    );
    await expect(signer().sign({ sub: '', role: 'customer' })).rejects.toThrow('sub must not be empty');
  });
});
