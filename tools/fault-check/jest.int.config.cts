// the fault suite: real builds of the services behind the gateway, on the local stack, while one
// part of it is killed at a time
const base = require('../../tools/jest/integration.config.cjs')(__dirname);

module.exports = { ...base, testTimeout: 3_600_000 };
