// the trace test: real builds of the services behind the gateway, exporting their spans over OTLP to
// a collector the test runs
const base = require('../../tools/jest/integration.config.cjs')(__dirname);

module.exports = { ...base, testTimeout: 600_000 };
