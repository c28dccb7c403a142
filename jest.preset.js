const nxPreset = require('@nx/jest/preset').default;
const { localKeyEnv } = require('./tools/scripts/lib/local-keys.cjs');

// every test run signs and verifies tokens with the local stack's generated pair, unless the
// environment names keys (tools/scripts/lib/local-keys.cjs); set here, before jest starts workers
Object.assign(process.env, localKeyEnv());

module.exports = { ...nxPreset };
