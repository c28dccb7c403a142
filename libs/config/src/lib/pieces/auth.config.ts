import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { localStackFile } from '../local-stack';
import { defineConfig, type ConfigValue } from '../define-config';
import { positiveInt, text } from '../env';

/** no access token lives longer than this: user-service can't issue one, and no service accepts one */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

// public keys whose private half has been published, so anyone can sign with it: refused as a
// verifying key and as a signing key, in every environment. the first is the development pair
// that was committed to this repository until 2026-11 (its private half is in the git history).
const PUBLISHED_PUBLIC_KEYS = [
  `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA2q2YWTYcx7yVsmVrV8wrBmpN/+Ft9djvWXX3yXNwfFU=
-----END PUBLIC KEY-----`,
].map((pem) => createPublicKey(pem));
const isPublished = (key: KeyObject) => PUBLISHED_PUBLIC_KEYS.some((published) => published.equals(key));

// the local stack's pair (tools/scripts/lib/local-keys.cjs), used when no key is configured and the
// process runs in a checkout whose stack made it (localStackFile). nowhere else has these files.
const LOCAL_KEY_FILES = { public: 'keys/jwt-public.pem', private: 'keys/jwt-private.pem' } as const;

const HOW_TO_SET = 'npm start, npm test and `npm run stack -- up` generate a local pair in .stack/keys; see docs/security.md';

// issues without a path: loadConfig echoes the value of the variable an issue names, and a
// mistyped key must not end up in stderr and the log store; the message names the variable instead
const hidden = (message: string) => ({ code: 'custom' as const, message, path: [] });
type Ctx = z.RefinementCtx;

const optional = z.string().optional();

/**
 * the pem text of a key variable: NAME, or the file NAME_FILE points at (the way container
 * platforms mount secrets), or the local stack's file. env files and secret stores often hold a
 * pem on one line with literal \n.
 */
function keyText(name: string, value: string | undefined, file: string | undefined, local: string, ctx: Ctx): string | undefined {
  if (value && file) return void ctx.addIssue(hidden(`set ${name} or ${name}_FILE, not both`));
  if (value) return value.replace(/\\n/g, '\n');
  const path = file ?? localStackFile(local);
  if (!path) return void ctx.addIssue(hidden(`${name} is not set: give it as PEM, or a file holding it in ${name}_FILE (${HOW_TO_SET})`));
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return void ctx.addIssue(hidden(`${name}_FILE: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`));
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * one or more Ed25519 public keys, as concatenated PEM blocks (several during a key rotation).
 * createPublicKey also derives a public key from a private one: demand the public header, so a
 * private key pasted into the variable every service reads is refused instead of shipped everywhere.
 */
function publicKeysOf(text: string): KeyObject[] | undefined {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0 || text.replace(PEM_BLOCK, '').trim() !== '') return undefined;
  const keys = blocks.map(([pem, label]) => (label === 'PUBLIC KEY' ? ed25519(createPublicKey, pem) : undefined));
  return keys.every((k): k is KeyObject => k !== undefined) ? keys : undefined;
}

function ed25519(parse: (pem: string) => KeyObject, pem: string): KeyObject | undefined {
  try {
    const key = parse(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

function verifyingKeys(v: { JWT_PUBLIC_KEY?: string; JWT_PUBLIC_KEY_FILE?: string }, ctx: Ctx): KeyObject[] | undefined {
  const pem = keyText('JWT_PUBLIC_KEY', v.JWT_PUBLIC_KEY, v.JWT_PUBLIC_KEY_FILE, LOCAL_KEY_FILES.public, ctx);
  if (pem === undefined) return undefined;
  const keys = publicKeysOf(pem);
  if (!keys) return void ctx.addIssue(hidden('JWT_PUBLIC_KEY must be one or more Ed25519 public keys in PEM (-----BEGIN PUBLIC KEY-----)'));
  if (keys.some(isPublished))
    return void ctx.addIssue(hidden(`JWT_PUBLIC_KEY holds a published key, which anyone can sign with: ${HOW_TO_SET}`));
  return keys;
}

const publicVars = { JWT_PUBLIC_KEY: optional, JWT_PUBLIC_KEY_FILE: optional };

// the schemas validate (and say what is wrong); the maps, which run only on valid input, build the keys
const quiet = { addIssue: () => undefined } as unknown as Ctx;

/** what every service needs to verify access tokens on its own */
export const jwtVerifyConfig = () =>
  defineConfig(
    'jwtVerify',
    z
      .object({ ...publicVars, JWT_ISSUER: text('ecom-user-service'), JWT_AUDIENCE: text('ecom') })
      .superRefine((v, ctx) => void verifyingKeys(v, ctx)),
    (v) => ({ publicKeys: verifyingKeys(v, quiet) as KeyObject[], issuer: v.JWT_ISSUER, audience: v.JWT_AUDIENCE }),
  );

// spelt once: the secret scan reads a private key header followed by another key line as a key
const PRIVATE_KEY_HEADER = '-----BEGIN PRIVATE KEY-----';

function signingKey(v: SignVars, ctx: Ctx): KeyObject | undefined {
  const pem = keyText('JWT_PRIVATE_KEY', v.JWT_PRIVATE_KEY, v.JWT_PRIVATE_KEY_FILE, LOCAL_KEY_FILES.private, ctx);
  if (pem === undefined) return undefined;
  const privateKey = pem.trim().startsWith(PRIVATE_KEY_HEADER) ? ed25519(createPrivateKey, pem.trim()) : undefined;
  if (!privateKey) return void ctx.addIssue(hidden(`JWT_PRIVATE_KEY must be an Ed25519 private key in PEM (${PRIVATE_KEY_HEADER})`));
  const own = createPublicKey(privateKey);
  if (isPublished(own)) return void ctx.addIssue(hidden(`JWT_PRIVATE_KEY is a published key, which anyone can sign with: ${HOW_TO_SET}`));
  // a private key whose public half no service holds would start fine and then fail every token it
  // issues. checked quietly: a problem with the public keys themselves is jwtVerify's to report
  const verifying = verifyingKeys(v, quiet);
  if (verifying && !verifying.some((k) => k.equals(own)))
    return void ctx.addIssue(hidden('JWT_PRIVATE_KEY does not belong to any key in JWT_PUBLIC_KEY'));
  return privateKey;
}

const signVars = {
  JWT_PRIVATE_KEY: optional,
  JWT_PRIVATE_KEY_FILE: optional,
  // read only to check the pair; jwtVerifyConfig owns them and reports their problems
  ...publicVars,
  JWT_TTL_SECONDS: positiveInt(900).pipe(
    z.number().max(MAX_TOKEN_LIFETIME_SECONDS, `must be at most ${MAX_TOKEN_LIFETIME_SECONDS} (the longest any service accepts)`),
  ),
};
const signSchema = z.object(signVars);
type SignVars = z.infer<typeof signSchema>;

/** what user-service needs on top of jwtVerifyConfig to issue tokens */
export const jwtSignConfig = () =>
  defineConfig(
    'jwtSign',
    signSchema.superRefine((v, ctx) => void signingKey(v, ctx)),
    (v) => ({ privateKey: signingKey(v, quiet) as KeyObject, ttlSeconds: v.JWT_TTL_SECONDS }),
  );

export type JwtVerifyConfig = ConfigValue<ReturnType<typeof jwtVerifyConfig>>;
export type JwtSignConfig = ConfigValue<ReturnType<typeof jwtSignConfig>>;
