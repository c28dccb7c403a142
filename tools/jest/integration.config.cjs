// the jest config of every project's `integration` target: real servers from the local stack
// (npm run stack -- up), tests under <project>/test/**/*.int-spec.ts, one file at a time.
const { basename, relative } = require('node:path');
const esm = require('./esm-packages.cjs');
const { runEnv } = require('./run-stores.cjs');

// the run's own topics, databases, keys, indexes and keyspace (see run-stores.cjs). set here,
// before jest starts its workers, so every test file of the run and every process it starts shares them
Object.assign(process.env, runEnv());

module.exports = function integrationConfig(projectDir) {
  return {
    displayName: `${basename(projectDir)}:integration`,
    rootDir: projectDir,
    preset: relative(projectDir, `${__dirname}/../../jest.preset.js`),
    testEnvironment: 'node',
    // the drivers (kafkajs, cassandra, mongodb) keep timers and sockets alive a moment after
    // close(); jest would wait for them, where nx's old jest executor exited once the run was over
    forceExit: true,
    testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
    testTimeout: 120_000,
    globalSetup: `${__dirname}/run-stores.setup.cjs`,
    globalTeardown: `${__dirname}/run-stores.teardown.cjs`,
    transform: {
      ...esm.transform,
      '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    },
    transformIgnorePatterns: esm.transformIgnorePatterns,
    moduleFileExtensions: ['ts', 'js', 'html'],
  };
};
