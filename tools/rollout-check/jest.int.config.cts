// the rolling-update check: real builds of the services behind nginx, on the local stack
const base = require('../../tools/jest/integration.config.cjs')(__dirname);

module.exports = { ...base, testTimeout: 900_000 };
