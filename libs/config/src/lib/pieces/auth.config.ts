import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { positiveInt, text } from '../env';

// a development pair so the local stack signs and verifies out of the box; production refuses it (adr 0007)
const DEV_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA2q2YWTYcx7yVsmVrV8wrBmpN/+Ft9djvWXX3yXNwfFU=
-----END PUBLIC KEY-----`;
const DEV_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIBA4jqjbDzkbcV1ZT2HtdJL05wSgiau9B9NVyvijKJpf
-----END PRIVATE KEY-----`;
const DEV_KEY = createPublicKey(DEV_PUBLIC_KEY);

const REFUSED_IN_PRODUCTION = 'must be set in production (the built-in development key is refused)';

// env files and secret stores often hold a pem on one line with literal \n
const pem = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => v.replace(/\\n/g, '\n').trim());

function ed25519(parse: (pem: string) => KeyObject, pem: string): KeyObject | undefined {
  try {
    const key = parse(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

// createPublicKey also derives a public key from a private one: demand the public header, so a
// private key pasted into the variable every service reads is refused instead of shipped everywhere
const publicKeyOf = (pem: string) => (pem.startsWith('-----BEGIN PUBLIC KEY-----') ? ed25519(createPublicKey, pem) : undefined);
const privateKeyOf = (pem: string) => ed25519(createPrivateKey, pem);

// issues without a path: loadConfig echoes the value of the variable an issue names, and a
// mistyped key must not end up in stderr and the log store; the message names the variable instead
const hidden = (message: string) => ({ code: 'custom' as const, message, path: [] });

/** what every service needs to verify access tokens on its own */
export const jwtVerifyConfig = () =>
  defineConfig(
    'jwtVerify',
    z
      .object({
        NODE_ENV: z.string().optional(),
        JWT_PUBLIC_KEY: pem(DEV_PUBLIC_KEY),
        JWT_ISSUER: text('ecom-user-service'),
        JWT_AUDIENCE: text('ecom'),
      })
      .superRefine((v, ctx) => {
        const key = publicKeyOf(v.JWT_PUBLIC_KEY);
        if (!key) ctx.addIssue(hidden('JWT_PUBLIC_KEY must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)'));
        else if (v.NODE_ENV === 'production' && key.equals(DEV_KEY)) ctx.addIssue(hidden(`JWT_PUBLIC_KEY ${REFUSED_IN_PRODUCTION}`));
      }),
    // the refinement above has parsed the key already
    (v) => ({ publicKey: publicKeyOf(v.JWT_PUBLIC_KEY) as KeyObject, issuer: v.JWT_ISSUER, audience: v.JWT_AUDIENCE }),
  );

/** what user-service needs on top of jwtVerifyConfig to issue tokens */
export const jwtSignConfig = () =>
  defineConfig(
    'jwtSign',
    z
      .object({
        NODE_ENV: z.string().optional(),
        JWT_PRIVATE_KEY: pem(DEV_PRIVATE_KEY),
        // read only to check the pair; jwtVerifyConfig owns it and reports its problems
        JWT_PUBLIC_KEY: pem(DEV_PUBLIC_KEY),
        JWT_TTL_SECONDS: positiveInt(3600),
      })
      .superRefine((v, ctx) => {
        const key = privateKeyOf(v.JWT_PRIVATE_KEY);
        const own = key && createPublicKey(key);
        const expected = publicKeyOf(v.JWT_PUBLIC_KEY);
        if (!own) ctx.addIssue(hidden('JWT_PRIVATE_KEY must be an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----)'));
        else if (v.NODE_ENV === 'production' && own.equals(DEV_KEY)) ctx.addIssue(hidden(`JWT_PRIVATE_KEY ${REFUSED_IN_PRODUCTION}`));
        // a mismatched pair would start fine and then fail every token it issues
        else if (expected && !own.equals(expected)) ctx.addIssue(hidden('JWT_PRIVATE_KEY does not belong to JWT_PUBLIC_KEY'));
      }),
    (v) => ({ privateKey: privateKeyOf(v.JWT_PRIVATE_KEY) as KeyObject, ttlSeconds: v.JWT_TTL_SECONDS }),
  );

export type JwtVerifyConfig = ConfigValue<ReturnType<typeof jwtVerifyConfig>>;
export type JwtSignConfig = ConfigValue<ReturnType<typeof jwtSignConfig>>;
