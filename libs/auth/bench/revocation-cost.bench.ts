// what the revocation check costs on the request path: TokenVerifier.verify with and without a
// RevokedUsers holding 10,000 deleted users, alternating rounds in one process.
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register libs/auth/bench/revocation-cost.bench.ts
import { generateKeyPairSync } from 'node:crypto';
import { RevokedUsers } from '../src/lib/revocation/revoked-users';
import { TokenSigner } from '../src/lib/token-signer';
import { TokenVerifier } from '../src/lib/token-verifier';

const ROUNDS = 6;
const PER_ROUND = 20_000;

async function main(): Promise<void> {
  const keys = generateKeyPairSync('ed25519');
  const claims = { issuer: 'ecom-user-service', audience: 'ecom' };
  const token = (await new TokenSigner({ privateKey: keys.privateKey, ttlSeconds: 900, ...claims }).sign({ sub: 'user-1', role: 'customer' })).accessToken;
  const revoked = new RevokedUsers();
  for (let i = 0; i < 10_000; i++) revoked.revoke(`deleted-${i}`, Date.now());
  const plain = new TokenVerifier({ publicKeys: [keys.publicKey], ...claims });
  const checked = new TokenVerifier({ publicKeys: [keys.publicKey], ...claims, revoked });

  const time = async (verifier: TokenVerifier) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) await verifier.verify(token);
    return Number(process.hrtime.bigint() - start) / 1e3 / PER_ROUND; // µs per verify
  };
  await time(plain);
  await time(checked); // warm-up
  const results = { without: [] as number[], with: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    results.without.push(await time(plain));
    results.with.push(await time(checked));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const a = median(results.without);
  const b = median(results.with);
  console.log(`verify without revocation check: ${a.toFixed(1)} µs (median of ${ROUNDS} rounds of ${PER_ROUND})`);
  console.log(`verify with 10,000 revoked users: ${b.toFixed(1)} µs`);
  console.log(`difference: ${(b - a).toFixed(2)} µs per request (${(((b - a) / a) * 100).toFixed(1)} %)`);
  // the check alone, which the difference above hides in the noise of a signature check
  const LOOKUPS = 10_000_000;
  let hits = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (revoked.isRevoked(i % 2 ? 'user-1' : 'deleted-42')) hits++;
  const ns = Number(process.hrtime.bigint() - start) / LOOKUPS;
  console.log(`the lookup alone: ${ns.toFixed(0)} ns (${hits} hits of ${LOOKUPS})`);
}

void main();
