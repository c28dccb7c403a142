const nxPreset = require('@nx/jest/preset').default;
const { localKeyEnv } = require('./tools/scripts/lib/local-keys.cjs');
const { localRateLimitEnv } = require('./tools/scripts/lib/local-limits.cjs');

// every test run signs and verifies tokens with the local stack's generated pair, unless the
// environment names keys (tools/scripts/lib/local-keys.cjs); set here, before jest starts workers
Object.assign(process.env, localKeyEnv());
// and with the local stack's rate limits (tools/scripts/lib/local-limits.cjs); the tests of the limits set their own
Object.assign(process.env, localRateLimitEnv());

module.exports = { ...nxPreset };
