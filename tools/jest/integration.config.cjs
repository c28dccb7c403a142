// the jest config of every project's `integration` target: real servers from the local stack
// (npm run stack -- up), tests under <project>/test/**/*.int-spec.ts, one file at a time.
const { basename, relative } = require('node:path');
const esm = require('./esm-packages.cjs');

module.exports = function integrationConfig(projectDir) {
  return {
    displayName: `${basename(projectDir)}:integration`,
    rootDir: projectDir,
    preset: relative(projectDir, `${__dirname}/../../jest.preset.js`),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
    testTimeout: 120_000,
    transform: {
      ...esm.transform,
      '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    },
    transformIgnorePatterns: esm.transformIgnorePatterns,
    moduleFileExtensions: ['ts', 'js', 'html'],
  };
};
