module.exports = require('../../tools/jest/integration.config.cjs')(__dirname);
