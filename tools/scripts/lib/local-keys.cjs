// the local stack's token-signing key pair: generated on first use, kept outside git in
// .stack/keys (like the stack's data), never committed. npm start, npm test and `npm run stack -- up`
// make sure it exists; services started from the repository root find it there when
// JWT_PUBLIC_KEY / JWT_PRIVATE_KEY (or their _FILE variants) are not set (libs/config auth.config.ts).
// commonjs, so jest's preset, the integration config and the .mjs scripts can all use it.
const { generateKeyPairSync } = require('node:crypto');
const { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../../..');
const KEY_DIR = join(ROOT, '.stack', 'keys');
const PRIVATE_KEY_FILE = join(KEY_DIR, 'jwt-private.pem');
const PUBLIC_KEY_FILE = join(KEY_DIR, 'jwt-public.pem');

/** creates the pair once; safe when several processes race to do it */
function ensureLocalKeys() {
  const files = { privateKeyFile: PRIVATE_KEY_FILE, publicKeyFile: PUBLIC_KEY_FILE };
  if (existsSync(PRIVATE_KEY_FILE) && existsSync(PUBLIC_KEY_FILE)) return files;
  if (existsSync(KEY_DIR)) throw new Error(`${KEY_DIR} holds no complete key pair: delete it and run again`);
  // the pair is written to a directory of its own, which then takes the final name in one rename:
  // a process racing this one either wins with its own complete pair or finds this one's
  mkdirSync(dirname(KEY_DIR), { recursive: true });
  const tmp = mkdtempSync(`${KEY_DIR}.new-`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // the directory (0700, from mkdtemp) keeps other users out. the private key itself is readable,
  // because docker compose mounts it as a secret into a container whose user is not its owner
  writeFileSync(join(tmp, basename(PRIVATE_KEY_FILE)), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o644 });
  writeFileSync(join(tmp, basename(PUBLIC_KEY_FILE)), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  try {
    renameSync(tmp, KEY_DIR);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!['EEXIST', 'ENOTEMPTY'].includes(e.code)) throw e;
  }
  return files;
}

const KEY_VARS = ['JWT_PUBLIC_KEY', 'JWT_PUBLIC_KEY_FILE', 'JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_FILE'];

/** the variables that point a local process at the pair, unless the environment names keys already */
function localKeyEnv(env = process.env) {
  if (KEY_VARS.some((v) => env[v])) return {};
  const { privateKeyFile, publicKeyFile } = ensureLocalKeys();
  return { JWT_PUBLIC_KEY_FILE: publicKeyFile, JWT_PRIVATE_KEY_FILE: privateKeyFile };
}

module.exports = { ensureLocalKeys, localKeyEnv, KEY_DIR, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE };

// `node tools/scripts/lib/local-keys.cjs`: make sure the pair exists, and say where it is
if (require.main === module) {
  const { publicKeyFile } = ensureLocalKeys();
  console.log(`[keys] token-signing pair in ${KEY_DIR} (public key: ${publicKeyFile})`);
}
