module.exports = require('./run-stores.cjs').setup;
