module.exports = require('./run-stores.cjs').teardown;
