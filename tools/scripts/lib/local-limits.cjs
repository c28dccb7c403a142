// the services' rate limits on the local stack and in the tests: RATE_LIMIT_* from
// deploy/gateway/rate-limits.local.env, far above production's, because npm test, the e2e suite and
// the fault checks drive every account from one address. a variable set in the environment wins.
// commonjs, so jest's preset and the .mjs scripts can both use it.
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const LOCAL_LIMITS = join(resolve(__dirname, '../../..'), 'deploy/gateway/rate-limits.local.env');

/** the RATE_LIMIT_* of the local file that the environment does not set */
function localRateLimitEnv(env = process.env) {
  const out = {};
  for (const line of readFileSync(LOCAL_LIMITS, 'utf8').split('\n')) {
    const m = /^(RATE_LIMIT_[A-Z_]+)=(\S+)$/.exec(line.trim());
    if (m && env[m[1]] === undefined) out[m[1]] = m[2];
  }
  return out;
}

module.exports = { localRateLimitEnv, LOCAL_LIMITS };
